import { describe, expect, it } from 'vitest';
import { check, evaluate, type CorpusLine } from '../../src/engine';
import { pack, rule } from './pack-fixture';

const p = pack([
  rule({ id: 'rude', kind: 'phrase', category: 'conduct', terms: ['idiot', 'shut up'] }),
  rule({ id: 'secret', kind: 'phrase', category: 'marking', terms: ['secret'] }),
  rule({ id: 'quiet', kind: 'phrase', category: 'political', terms: ['vote'], severity: 'info' }),
  rule({ id: 'audited', kind: 'phrase', category: 'legal', terms: ['lawsuit'], mode: 'audit' }),
]);

const corpus: CorpusLine[] = [
  { id: 'c1', text: 'You idiot.', labels: ['conduct'] }, // conduct tp
  { id: 'c2', text: 'Please be quiet.', labels: ['conduct'] }, // conduct fn
  { id: 'c3', text: 'Shut up, this is secret.', labels: ['conduct', 'marking'] }, // conduct tp, marking tp
  { id: 'c4', text: 'The secret garden opens today.', labels: [] }, // marking fp, clean false alarm
  { id: 'c5', text: 'Thanks for your message.', labels: [] }, // clean
  { id: 'c6', text: 'Remember to vote.', labels: [] }, // info only: not a flag
  { id: 'c7', text: 'The lawsuit was filed.', labels: ['legal'] }, // audit findings count
  { id: 'c8', text: 'Have a nice day.', labels: [] }, // clean
];

describe('evaluate()', () => {
  const report = evaluate(corpus, (l) => check(p, l.text));
  const score = (c: string) => report.categories.find((s) => s.category === c)!;

  it('counts true positives, false positives and false negatives per category', () => {
    expect(score('conduct')).toMatchObject({ tp: 2, fp: 0, fn: 1 });
    expect(score('marking')).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    expect(score('legal')).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(score('political')).toMatchObject({ tp: 0, fp: 0, fn: 0 });
  });

  it('computes precision, recall and F1', () => {
    expect(score('conduct').precision).toBe(1);
    expect(score('conduct').recall).toBeCloseTo(2 / 3);
    expect(score('conduct').f1).toBeCloseTo(0.8); // 2 * 1 * 2/3 / (5/3)
    expect(score('marking').precision).toBe(0.5);
    expect(score('marking').recall).toBe(1);
    expect(score('marking').f1).toBeCloseTo(2 / 3);
  });

  it('computes the clean false-alarm rate over drafts with no labels', () => {
    expect(report.drafts).toBe(8);
    expect(report.clean).toEqual({ drafts: 4, falseAlarms: 1, rate: 0.25, ids: ['c4'] });
  });

  it('lists every miss with its kind', () => {
    expect(report.misses).toEqual([
      { id: 'c2', category: 'conduct', kind: 'fn' },
      { id: 'c4', category: 'marking', kind: 'fp' },
    ]);
  });

  it('reports a clean rate of 0 when the corpus has no clean drafts', () => {
    const r = evaluate([{ id: 'x', text: 'idiot', labels: ['conduct'] }], (l) => check(p, l.text));
    expect(r.clean).toEqual({ drafts: 0, falseAlarms: 0, rate: 0, ids: [] });
  });

  it('rejects a label that is not a category, naming the line', () => {
    expect(() => evaluate([{ id: 'typo', text: 'x', labels: ['condcut'] }], () => [])).toThrow(
      'corpus line "typo": unknown label "condcut" (expected one of: marking, personal-data, credentials, internal-info, unannounced, legal, political, commitment, conduct)',
    );
  });
});
