import { describe, expect, it } from 'vitest';
import { runExamples } from '../../src/engine';
import { pack, rule } from './pack-fixture';

describe('runExamples', () => {
  it('passes when every flag example is flagged and every pass example is not', () => {
    const p = pack([
      rule({ id: 'rude', kind: 'phrase', terms: ['idiot'], examples: { flag: ['You idiot.', 'IDIOTS, all of you'], pass: ['Idiomatic.', 'Thanks!'] } }),
    ]);
    expect(runExamples(p)).toEqual({ total: 4, failures: [] });
  });

  it('reports a failing flag example and a failing pass example with pack, rule, kind and problem', () => {
    const p = pack([
      rule({
        id: 'rude',
        kind: 'phrase',
        terms: ['idiot'],
        inflect: false,
        examples: { flag: ['You idiot.', 'You idiots.'], pass: ['Thanks!', 'Not an idiot test.'] },
      }),
    ]);
    const { total, failures } = runExamples(p);
    expect(total).toBe(4);
    expect(failures).toEqual([
      { pack: 'test-pack', rule: 'rude', kind: 'flag', example: 'You idiots.', problem: 'expected a finding, got none' },
      { pack: 'test-pack', rule: 'rude', kind: 'pass', example: 'Not an idiot test.', problem: 'expected no finding, got "idiot"' },
    ]);
  });

  it('judges each rule alone: another rule cannot hide or cause its result', () => {
    const p = pack([
      // "stupid idea" (block) would win dedupe over "stupid" in a full check.
      rule({ id: 'stupid', kind: 'phrase', terms: ['stupid'], examples: { flag: ['A stupid idea.', 'Stupid.'], pass: ['Fine.', 'Good idea.'] } }),
      rule({ id: 'stupid-idea', kind: 'phrase', terms: ['stupid idea'], severity: 'block', examples: { flag: ['A stupid idea.', 'Stupid ideas.'], pass: ['Stupid.', 'Idea.'] } }),
    ]);
    expect(runExamples(p).failures).toEqual([]);
  });

  it('judges building blocks by their own hits, and near rules with only their parts', () => {
    const p = pack([
      rule({ id: 'name', kind: 'phrase', category: 'personal-data', terms: ['Mrs Jones'], standalone: false, examples: { flag: ['Mrs Jones', 'mrs jones called'], pass: ['Mr Jones', 'Jones'] } }),
      rule({ id: 'ill', kind: 'phrase', category: 'personal-data', terms: ['diagnosis'], examples: { flag: ['a diagnosis', 'diagnoses'], pass: ['a cold', 'nothing'] } }),
      rule({
        id: 'name-ill',
        kind: 'near',
        category: 'personal-data',
        a: 'name',
        b: 'ill',
        within: 5,
        span: 'b',
        examples: { flag: ['Mrs Jones got a diagnosis.', 'The diagnosis for Mrs Jones.'], pass: ['Mrs Jones is well.', 'A diagnosis came.'] },
      }),
    ]);
    // 'ill' is standalone and flags the same word as the near rule's span b: in the
    // near rule's own run it must not hide the near finding.
    expect(runExamples(p)).toEqual({ total: 12, failures: [] });
  });

  it('reports a near rule that does not fire on its flag example', () => {
    const p = pack([
      rule({ id: 'name', kind: 'phrase', category: 'personal-data', terms: ['Mrs Jones'], standalone: false }),
      rule({ id: 'ill', kind: 'phrase', category: 'personal-data', terms: ['diagnosis'], standalone: false }),
      rule({ id: 'name-ill', kind: 'near', category: 'personal-data', a: 'name', b: 'ill', within: 2, examples: { flag: ['Mrs Jones, we hear, got a diagnosis.'], pass: [] } }),
    ]);
    expect(runExamples(p).failures).toEqual([
      { pack: 'test-pack', rule: 'name-ill', kind: 'flag', example: 'Mrs Jones, we hear, got a diagnosis.', problem: 'expected a finding, got none' },
    ]);
  });
});
