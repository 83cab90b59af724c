import { describe, expect, it } from 'vitest';
import { check, checkAll, evaluate, type CompiledPack, type Finding, type SentenceMatcher } from '../../src/engine';
import { pack, rule } from './pack-fixture';

const rules = () => [
  rule({ id: 'secret', kind: 'phrase', category: 'marking', terms: ['secret', 'top secret'] }),
  rule({ id: 'pin', kind: 'pattern', category: 'credentials', pattern: '\\bPIN:? (?<span>\\d{4})\\b', boosts: { words: ['bank'] } }),
  rule({ id: 'refund', kind: 'nlp', category: 'commitment', clause: 'promises', match: 'we will refund', keywords: ['refund'] }),
  rule({ id: 'name', kind: 'phrase', category: 'personal-data', terms: ['Mrs Jones'], standalone: false }),
  rule({ id: 'ill', kind: 'phrase', category: 'personal-data', terms: ['diagnosis'], standalone: false }),
  rule({ id: 'name-ill', kind: 'near', category: 'personal-data', a: 'name', b: 'ill', within: 10 }),
];

const DRAFT =
  'This is top secret. Your bank PIN 1234 is safe. Mrs Jones asked about her diagnosis. We will refund you. Secret again, PIN: 9999.';

/** Wraps rule `id`'s sentence matcher to count the sentences it is run on. */
function countCalls(p: CompiledPack, id: string): { sentences: string[] } {
  const r = p.rules.find((x) => x.rule.id === id)!;
  const inner = r.matcher as SentenceMatcher;
  const log = { sentences: [] as string[] };
  r.matcher = { scope: 'sentence', keywords: inner.keywords, find: (s) => (log.sentences.push(s.text), inner.find(s)) };
  return log;
}

describe('check()', () => {
  it('returns findings sorted by position, with clause and message filled in', () => {
    const findings = check(pack(rules()), DRAFT);
    expect(findings.map((f) => [f.rule, f.excerpt])).toEqual([
      ['secret', 'top secret'],
      ['pin', '1234'],
      ['name-ill', 'Mrs Jones asked about her diagnosis'],
      ['refund', 'We will refund'],
      ['secret', 'Secret'],
      ['pin', '9999'],
    ]);
    const pin = findings[1]!;
    expect(pin).toMatchObject({
      pack: 'test-pack',
      category: 'credentials',
      severity: 'block', // boosted by "bank"
      mode: 'enforce',
      message: 'Flagged: 1234',
      clause: { id: 'conduct', title: 'Conduct', url: 'https://policy.example.org/social#conduct' },
    });
    expect(findings[5]!.severity).toBe('warning'); // no "bank" near the second PIN
  });

  it('is deterministic: same result on repeated calls and whatever the rule order', () => {
    const forward = pack(rules());
    const backward = pack(rules().reverse());
    const first = check(forward, DRAFT, { cache: false });
    expect(check(forward, DRAFT, { cache: false })).toEqual(first);
    expect(check(backward, DRAFT, { cache: false })).toEqual(first);
  });

  it('never reports building blocks (standalone: false) on their own', () => {
    const ids = check(pack(rules()), 'Mrs Jones wrote. Later, at some length, much later, far later, came a diagnosis.').map((f) => f.rule);
    expect(ids).toEqual([]);
  });

  it('gives identical results with and without the cache over a sequence of edits', () => {
    const cached = pack(rules());
    const fresh = pack(rules());
    const edits = [
      DRAFT,
      DRAFT.replace('1234', '12345'),
      DRAFT.replace('1234', '4321'),
      DRAFT.replace('We will refund you.', 'We will not refund you.'),
      `${DRAFT}\nP.S. top secret`,
      DRAFT.replace('Mrs Jones asked about her diagnosis. ', ''),
      DRAFT.slice(0, 40),
      '',
      DRAFT,
    ];
    for (const text of edits) expect(check(cached, text)).toEqual(check(fresh, text, { cache: false }));
  });

  it('re-checking after a one-character edit re-analyses only the changed sentence', () => {
    const p = pack(rules());
    const log = countCalls(p, 'pin');
    check(p, DRAFT);
    const firstRun = log.sentences.length;
    expect(firstRun).toBe(5); // the pattern rule has no keywords: it sees every sentence once

    log.sentences.length = 0;
    const edited = DRAFT.replace('1234', '1235');
    const findings = check(p, edited);
    expect(log.sentences).toEqual(['Your bank PIN 1235 is safe.']);
    expect(findings.find((f) => f.rule === 'pin')!.excerpt).toBe('1235');

    log.sentences.length = 0;
    check(p, edited);
    expect(log.sentences).toEqual([]);
  });

  it('check with cache: false neither reads nor fills the cache', () => {
    const p = pack(rules());
    const log = countCalls(p, 'pin');
    check(p, DRAFT, { cache: false });
    check(p, DRAFT, { cache: false });
    expect(log.sentences).toHaveLength(10);
    log.sentences.length = 0;
    check(p, DRAFT);
    expect(log.sentences).toHaveLength(5);
  });

  it('gives rules a lower-case sentence of the same length, so offsets agree', () => {
    const p = pack(rules());
    const r = p.rules.find((x) => x.rule.id === 'pin')!;
    const inner = r.matcher as SentenceMatcher;
    const seen: Array<[string, string]> = [];
    r.matcher = { scope: 'sentence', keywords: inner.keywords, find: (s) => (seen.push([s.text, s.lower]), inner.find(s)) };
    check(p, 'İSTANBUL office PIN 1234.');
    expect(seen).toEqual([['İSTANBUL office PIN 1234.', 'İstanbul office pin 1234.']]);
  });

  it('runs building blocks only within reach of their partner, with the same findings', () => {
    const blockRules = () => [
      rule({ id: 'person', kind: 'pattern', category: 'personal-data', pattern: '\\b[A-Z][a-z]+\\b', caseSensitive: true, standalone: false }),
      rule({ id: 'ill', kind: 'phrase', category: 'personal-data', terms: ['diagnosis'], standalone: false }),
      rule({ id: 'unused', kind: 'pattern', category: 'personal-data', pattern: 'x', standalone: false }),
      rule({ id: 'person-ill', kind: 'near', category: 'personal-data', a: 'person', b: 'ill', within: 3 }),
    ];
    const text = 'Alpha one two three four five six. Bravo one two three four five six. Carol had a diagnosis. Delta is fine. Echo one two three four five six seven.';
    const p = pack(blockRules());
    const person = countCalls(p, 'person');
    const unused = countCalls(p, 'unused');
    const findings = check(p, text, { cache: false });
    // "diagnosis. Delta" pairs too, but overlaps this longer finding of the same category.
    expect(findings.map((f) => f.excerpt)).toEqual(['Carol had a diagnosis']);
    // "person" has no keywords, yet runs only on the sentences within three words of the diagnosis.
    expect(person.sentences).toEqual(['Carol had a diagnosis.', 'Delta is fine.']);
    expect(unused.sentences).toEqual([]);
    expect(check(p, text, { cache: false, prefilter: false })).toEqual(findings);
    // A cached sentence runs a block it skipped before once a later draft needs it there.
    const cached = pack(blockRules());
    check(cached, text);
    const edited = text.replace('Echo one two three four five six seven.', 'Echo has a diagnosis.');
    expect(check(cached, edited)).toEqual(check(pack(blockRules()), edited, { cache: false }));
  });

  it('only runs keyword rules on sentences that contain a keyword', () => {
    const p = pack(rules());
    const log = countCalls(p, 'refund');
    check(p, DRAFT, { cache: false });
    expect(log.sentences).toEqual(['We will refund you.']);
  });
});

describe('dedupe', () => {
  const overlap = (extra: Array<Record<string, unknown>>) =>
    pack([
      rule({ id: 'a-soft', kind: 'phrase', category: 'conduct', terms: ['stupid'], severity: 'warning' }),
      rule({ id: 'b-hard', kind: 'phrase', category: 'conduct', terms: ['stupid idea'], severity: 'block' }),
      ...extra.map((e) => rule(e as never)),
    ]);

  it('of overlapping same-category findings keeps the most severe', () => {
    expect(check(overlap([]), 'What a stupid idea.').map((f) => [f.rule, f.severity])).toEqual([['b-hard', 'block']]);
  });

  it('keeps the most severe even when the severe one is a boosted lesser rule', () => {
    const p = pack([
      rule({ id: 'a-boosted', kind: 'phrase', category: 'conduct', terms: ['stupid'], severity: 'warning', boosts: { words: ['so'] } }),
      rule({ id: 'b-long', kind: 'phrase', category: 'conduct', terms: ['stupid idea'], severity: 'warning' }),
    ]);
    expect(check(p, 'So stupid idea.').map((f) => [f.rule, f.severity])).toEqual([['a-boosted', 'block']]);
    expect(check(p, 'A stupid idea.').map((f) => [f.rule, f.severity])).toEqual([['b-long', 'warning']]); // tie: longest wins
  });

  it('keeps overlapping findings of different categories', () => {
    const p = overlap([{ id: 'c-ip', kind: 'phrase', category: 'internal-info', terms: ['idea'] }]);
    expect(check(p, 'What a stupid idea.').map((f) => f.rule)).toEqual(['b-hard', 'c-ip']);
  });

  it('keeps non-overlapping findings of the same category', () => {
    expect(check(overlap([]), 'Stupid. A stupid idea.').map((f) => f.rule)).toEqual(['a-soft', 'b-hard']);
  });

  it('does not let an audit finding hide an enforced one (or the reverse)', () => {
    const p = overlap([{ id: 'c-audit', kind: 'phrase', category: 'conduct', terms: ['stupid idea'], severity: 'block', mode: 'audit' }]);
    const got = check(p, 'What a stupid idea.').map((f) => [f.rule, f.mode]);
    expect(got).toEqual([
      ['b-hard', 'enforce'],
      ['c-audit', 'audit'],
    ]);
  });
});

describe('info findings', () => {
  const p = pack([
    rule({ id: 'hint', kind: 'phrase', category: 'conduct', terms: ['asap'], severity: 'info' }),
    rule({ id: 'leak', kind: 'phrase', category: 'internal-info', terms: ['roadmap'], severity: 'info', boosts: { words: ['internal'] } }),
  ]);

  it('are kept in the findings', () => {
    expect(check(p, 'Reply asap.').map((f) => [f.rule, f.severity])).toEqual([['hint', 'info']]);
  });

  it('do not count as a flag in evaluate(), unless boosted to warning', () => {
    const lines = [
      { id: 'quiet', text: 'Reply asap, see the roadmap.', labels: [] },
      { id: 'loud', text: 'Our internal roadmap is late.', labels: ['internal-info'] },
    ];
    const report = evaluate(lines, (l) => check(p, l.text));
    expect(report.clean).toMatchObject({ drafts: 1, falseAlarms: 0, rate: 0 });
    const internal = report.categories.find((c) => c.category === 'internal-info')!;
    expect(internal).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(report.categories.find((c) => c.category === 'conduct')).toMatchObject({ tp: 0, fp: 0, fn: 0 });
  });
});

describe('checkAll()', () => {
  const admin = pack([rule({ id: 'admin-secret', kind: 'phrase', category: 'marking', terms: ['secret'], severity: 'block' })], { id: 'admin' });
  const builtin = pack([rule({ id: 'builtin-secret', kind: 'phrase', category: 'marking', terms: ['secret'] }), rule({ id: 'rude', kind: 'phrase', terms: ['idiot'] })], {
    id: 'builtin',
  });

  it('merges the packs in position order', () => {
    const got = checkAll([builtin, admin], 'Idiot, that is secret.').map((f) => [f.pack, f.rule]);
    expect(got[0]).toEqual(['builtin', 'rude']);
    expect(got.length).toBeGreaterThanOrEqual(2);
  });

  it('shows one finding for the same words flagged by two packs: the most severe', () => {
    const got = checkAll([builtin, admin], 'That is secret.').map((f) => [f.pack, f.rule, f.severity]);
    expect(got).toEqual([['admin', 'admin-secret', 'block']]);
  });

  it('does not depend on the order the packs are given in', () => {
    const text = 'Idiot, that is secret.';
    const strip = (fs: Finding[]) => fs.map((f) => `${f.pack}/${f.rule}@${f.start}`);
    expect(strip(checkAll([admin, builtin], text))).toEqual(strip(checkAll([builtin, admin], text)));
  });
});
