/**
 * The classifier detector (src/engine/detectors/classifier.ts): it reports
 * the best-scoring sentence window above its threshold as one finding with
 * a span, message and clause; it is silent where a rule of its category
 * already flagged the draft; and the shipped model and rule file are sound.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { testPack } from '../../src/cli/commands/test';
import { check, compilePack, runExamples } from '../../src/engine';
import { CATEGORIES } from '../../src/engine/categories';
import { DETECTORS } from '../../src/engine/detectors';
import { bestWindow, windows, type CategoryModel } from '../../src/engine/detectors/classifier';
import { loadPackSource } from '../../src/packs/source';
import { compileError, pack, packInput, rule } from './pack-fixture';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const model = JSON.parse(readFileSync(join(root, 'rules/builtin/classifier-model.json'), 'utf8'));

const PROMISE = 'I guarantee the bins will be collected tomorrow morning without fail.';

const classifierRule = (category = 'commitment', extra: Record<string, unknown> = {}) =>
  rule({
    id: `classifier.${category}`,
    kind: 'detector',
    detector: 'classifier',
    options: { category, ...extra },
    category,
    clause: 'promises',
    message: 'This reads like a promise — no specific rule matched; check it against the clause.',
  });

describe('windows and the best window', () => {
  // A hand-made model, so the expected span does not depend on training.
  const refunds: CategoryModel = { bias: -1, threshold: 1, weights: { refund: 3, 'full refund': 1 } };

  it('pairs each sentence with its neighbour, or takes the one sentence of a short draft', () => {
    const text = 'Hello there. We got your note. A full refund is coming. Thanks.';
    expect(windows(text).map((w) => text.slice(w.start, w.end))).toEqual([
      'Hello there. We got your note.',
      'We got your note. A full refund is coming.',
      'A full refund is coming. Thanks.',
    ]);
    expect(windows('Just one sentence here.').map((w) => [w.start, w.end])).toEqual([[0, 23]]);
    expect(windows('   ')).toEqual([]);
  });

  it('reports the highest-scoring window with its offsets and score', () => {
    const text = 'Hello there. We got your note. A full refund is coming. Thanks for waiting!';
    const best = bestWindow(refunds, text)!;
    // Both windows holding the refund score 3; the first of them wins the tie.
    expect(text.slice(best.start, best.end)).toBe('We got your note. A full refund is coming.');
    expect(best.score).toBeCloseTo(-1 + 3 + 1);
    expect(bestWindow(refunds, '')).toBeNull();
  });
});

describe('classifier detector in a pack', () => {
  it('flags the best window above threshold as one finding with a span, message and clause', () => {
    const p = pack([classifierRule()]);
    const text = 'Hi Pat, sorry about this. Your money will be back in your account by Friday, I promise. Have a good weekend.';
    const findings = check(p, text);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({ rule: 'classifier.commitment', category: 'commitment', severity: 'warning' });
    expect(f!.message).toMatch(/^This reads like a promise — no specific rule matched/);
    expect(f!.clause.id).toBe('promises');
    expect(text.slice(f!.start, f!.end)).toBe(f!.excerpt);
    // One window (a sentence and its neighbour), the best-scoring one, even though two hold the promise.
    expect(f!.excerpt).toBe('Hi Pat, sorry about this. Your money will be back in your account by Friday, I promise.');
  });

  it('stays silent below the threshold: procedural replies, and a stricter threshold offset', () => {
    const p = pack([classifierRule()]);
    expect(check(p, "Thanks, I've passed this to the team and they'll look into it.")).toEqual([]);
    expect(check(p, 'We aim to reply within ten working days.')).toEqual([]);
    expect(check(pack([classifierRule('commitment', { thresholdOffset: 5 })]), PROMISE)).toEqual([]);
    expect(check(pack([classifierRule('commitment', { thresholdOffset: -5 })]), 'We aim to reply within ten working days.')).toHaveLength(1);
  });

  it('never repeats a rule of its own category, wherever in the draft that rule fired', () => {
    const promiseWord = rule({ id: 'promise-word', kind: 'phrase', terms: ['guarantee'], category: 'commitment', clause: 'promises' });
    const p = pack([promiseWord, classifierRule()]);
    // The rule fires on the same sentence: only the rule's finding.
    expect(check(p, PROMISE).map((f) => f.rule)).toEqual(['promise-word']);
    // The rule fires in another sentence far from the classifier's window: still only the rule.
    const text = `We guarantee nothing about parking. The weather was lovely. ${PROMISE.replace('I guarantee', 'I promise')}`;
    expect(check(p, text).map((f) => f.rule)).toEqual(['promise-word']);
    // No rule of the category fired: the classifier speaks.
    expect(check(p, PROMISE.replace('I guarantee', 'I promise')).map((f) => f.rule)).toEqual(['classifier.commitment']);
  });

  it('is not silenced by a rule of another category, or by an info-level rule of its own (which it then outranks)', () => {
    const rude = rule({ id: 'rude', kind: 'phrase', terms: ['honestly'], category: 'conduct', clause: 'conduct' });
    const hint = rule({ id: 'hint', kind: 'phrase', terms: ['guarantee'], category: 'commitment', clause: 'promises', severity: 'info' });
    const p = pack([rude, hint, classifierRule()]);
    const rules = check(p, `Honestly, ${PROMISE}`).map((f) => f.rule).sort();
    // The info hint overlaps the classifier's warning in the same category: the usual dedupe keeps the warning.
    expect(rules).toEqual(['classifier.commitment', 'rude']);
    expect(check(pack([hint]), PROMISE).map((f) => f.rule)).toEqual(['hint']);
  });

  it('refuses an unknown category with a clear error', () => {
    const err = compileError(packInput([{ ...classifierRule(), options: { category: 'gossip' } } as never]));
    expect(err).toMatch(/classifier\.commitment/);
    expect(err).toMatch(/options\.category/);
  });
});

describe('the shipped model and rules', () => {
  it('has a model for every category, with a finite threshold and at most 1,500 features', () => {
    for (const c of CATEGORIES) {
      const m = model.categories[c];
      expect(m, c).toBeDefined();
      expect(Number.isFinite(m.threshold) && m.threshold < 1e6, `${c} threshold`).toBe(true);
      expect(Object.keys(m.weights).length, c).toBeLessThanOrEqual(1500);
      expect(m.cv.precision, `${c} CV precision`).toBeGreaterThanOrEqual(0.95);
    }
    expect(model.about.trainedOn).not.toContain('blind-e.jsonl');
  });

  it('is registered as a second-opinion detector', () => {
    expect(DETECTORS.classifier?.secondOpinion).toBe(true);
  });

  it('its rules (rules/builtin/disabled/classifier.yaml) pass their examples beside the built-in pack', () => {
    const source = loadPackSource(join(root, 'rules/builtin')) as { rules: unknown[] };
    const extra = parse(readFileSync(join(root, 'rules/builtin/disabled/classifier.yaml'), 'utf8')) as Array<{ id: string }>;
    expect(extra.map((r) => r.id)).toEqual(CATEGORIES.map((c) => `classifier.${c}`));
    const withClassifier = compilePack({ ...source, rules: [...source.rules, ...extra] } as never);
    const ours = new Set(extra.map((r) => r.id));
    const only = compilePack({ ...withClassifier.pack, rules: withClassifier.pack.rules.filter((r) => ours.has(r.id)) });
    const result = testPack(only, runExamples);
    // Clauses the classifier rules do not use are the built-in rules' business.
    expect(result.failures.filter((f) => !f.startsWith('clause '))).toEqual([]);
    expect(result.examples).toBe(9 * 4);
  }, 60_000);
});
