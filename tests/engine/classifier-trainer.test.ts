/**
 * The classifier's trainer (scripts/train-classifier.ts): it learns a small
 * separable set, gives the same model on every run, picks thresholds on the
 * precision envelope, and never trains on the held-out corpus.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { features, score, stem, tokenize } from '../../src/engine/detectors/classifier';
import {
  chooseThreshold,
  crossValidate,
  DEFAULTS,
  foldsOf,
  HELD_OUT,
  logisticRegression,
  naiveBayes,
  serialise,
  toModel,
  trainingFiles,
  type Example,
} from '../../scripts/train-classifier';

/** Promises (yes) and procedural replies (no), in varied words; "promise"/"guarantee"/"definitely" only in the yes set. */
const PROMISES = [
  'I promise your refund will arrive by Friday.',
  'We guarantee the bin will be emptied tomorrow.',
  'You will definitely get your money back this week.',
  'I promise the repair will be finished on Monday.',
  'We guarantee a full refund for every ticket.',
  'The fine will definitely be cancelled today.',
  'I promise we will pay for the damage.',
  'We guarantee the road will reopen by Tuesday.',
];
const PROCEDURAL = [
  'We aim to reply within ten working days.',
  'You can apply for a refund on our website.',
  'I have passed this to the team to look into.',
  'The form for a refund is on the website.',
  'Our team will look into it and reply.',
  'You can report a missed bin online.',
  'We aim to review repairs within a month.',
  'Thanks, I have passed your comments on.',
];
const examples: Example[] = [
  ...PROMISES.map((text, i) => ({ id: `p${i}`, text, labels: ['commitment'] })),
  ...PROCEDURAL.map((text, i) => ({ id: `n${i}`, text, labels: [] })),
];
const docs = examples.map((e) => features(e.text));
const y = examples.map((e) => e.labels.length > 0);
const toy = { ...DEFAULTS, minCount: 1, maxFeatures: 50 };

describe('features', () => {
  it('lower-cases, drops apostrophes, writes digit runs as 0 and folds common endings', () => {
    expect(tokenize("We'll REFUND £150 by 3 May, INC0012345.")).toEqual(['well', 'refund', '0', 'by', '0', 'may', 'inc0']);
    expect(['refunds', 'refunded', 'refunding'].map(stem)).toEqual(['refund', 'refund', 'refund']);
    expect(['bus', 'class', 'this', 'policies'].map(stem)).toEqual(['bus', 'class', 'this', 'policy']);
  });

  it('gives distinct unigrams and bigrams, plus marks for capitals and exclamations', () => {
    expect([...features('We will refund. We will!')].sort()).toEqual(['<!>', 'refund', 'refund we', 'we', 'we will', 'will', 'will refund'].sort());
    expect(features('READ THE POST').has('<caps>')).toBe(true);
    expect(features('The NHS said').has('<caps>')).toBe(true); // an acronym too: the weight decides what it is worth
    expect(features('Read the post').has('<caps>')).toBe(false);
  });
});

describe('learners', () => {
  for (const [name, learner] of [
    ['logistic regression', logisticRegression],
    ['naive Bayes', naiveBayes],
  ] as const) {
    it(`${name} separates a toy set and generalises to unseen wording`, () => {
      const m = toModel(learner(docs, y, toy));
      const pos = examples.filter((e) => e.labels.length).map((e) => score(m, e.text));
      const neg = examples.filter((e) => !e.labels.length).map((e) => score(m, e.text));
      expect(Math.min(...pos)).toBeGreaterThan(Math.max(...neg));
      expect(score(m, 'I promise the library will reopen on Friday.')).toBeGreaterThan(score(m, 'You can apply for a library card online.'));
    });
  }

  it('keeps at most maxFeatures features, the strongest', () => {
    const m = toModel(logisticRegression(docs, y, { ...toy, maxFeatures: 5 }));
    expect(Object.keys(m.weights)).toHaveLength(5);
    const kept = Object.keys(toModel(logisticRegression(docs, y, { ...toy, maxFeatures: 200 })).weights);
    expect(kept.length).toBeGreaterThan(5);
    expect(Object.keys(m.weights).some((f) => ['promise', 'guarantee', 'definitely'].includes(f))).toBe(true);
  });

  it('is deterministic: the same data gives the same model file, byte for byte', () => {
    const write = () => serialise({ test: true }, { commitment: { ...toModel(logisticRegression(docs, y, toy), 0.5), cv: { tp: 1, fp: 0, fn: 0, precision: 1, recall: 1, cleanFlagged: 0 } } });
    const a = write();
    expect(write()).toBe(a);
    const parsed = JSON.parse(a);
    expect(parsed.categories.commitment.threshold).toBe(0.5);
    // Weights are listed strongest first, with four decimals at most.
    const weights = Object.values(parsed.categories.commitment.weights) as number[];
    expect(weights.map(Math.abs)).toEqual([...weights.map(Math.abs)].sort((p, q) => q - p));
    expect(weights.every((w) => Number(w.toFixed(4)) === w)).toBe(true);
  });
});

describe('cross-validation', () => {
  it('assigns folds from a seeded shuffle: balanced, repeatable, different for another seed', () => {
    const f = foldsOf(103, 5, 7);
    expect(foldsOf(103, 5, 7)).toEqual(f);
    expect(foldsOf(103, 5, 8)).not.toEqual(f);
    const sizes = [0, 1, 2, 3, 4].map((k) => f.filter((x) => x === k).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('picks the lowest threshold whose precision and every stricter one stay on target', () => {
    // Scores high to low: yes yes yes yes no yes yes no no no.
    const scores = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    const labels = [1, 1, 1, 1, 0, 1, 1, 0, 0, 0].map(Boolean);
    const clean = labels.map((l) => !l);
    // Precision at each cut: 7 -> 4/4, 6 -> 4/5, 5 -> 5/6, 4 -> 6/7, 3 -> 6/8.
    expect(chooseThreshold(scores, labels, clean, 0.8, 1)).toMatchObject({ threshold: 4, tp: 6, fp: 1, cleanFlagged: 1 });
    // 0.857 at 4 would do for 0.85, but the stricter cut at 6 (0.8) does not: the envelope stops at 7.
    const strict = chooseThreshold(scores, labels, clean, 0.85, 1);
    expect(strict).toMatchObject({ threshold: 7, tp: 4, fp: 0, fn: 2, precision: 1, cleanFlagged: 0 });
    // A precision that dips below target at a stricter threshold is not rescued by a later recovery.
    expect(chooseThreshold([5, 4, 3, 2], [false, true, true, true], [true, false, false, false], 0.7, 1).threshold).toBe(Infinity);
  });

  it('scores every draft out of fold and reports an operating point per category', () => {
    const data = [...examples, ...examples.map((e) => ({ ...e, id: `${e.id}b`, text: `${e.text} Thanks.` }))];
    const cv = crossValidate(data, logisticRegression, toy, 4, 1, 0.9);
    expect(cv.scores.commitment).toHaveLength(data.length);
    expect(cv.operating.commitment.recall).toBeGreaterThan(0.5);
    expect(cv.operating.commitment.precision).toBeGreaterThanOrEqual(0.9);
    expect(cv.clean).toBe(PROCEDURAL.length * 2);
    // A category with no examples never fires.
    expect(cv.operating.marking.threshold).toBe(Infinity);
  });
});

describe('training data', () => {
  it('never includes the held-out corpus', () => {
    const names = trainingFiles().map((f) => basename(f));
    expect(names).toContain('dev.jsonl');
    expect(names).not.toContain(HELD_OUT);
    expect(HELD_OUT).toBe('blind-e.jsonl');
  });
});
