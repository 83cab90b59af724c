/**
 * Trains the classifier detector's models (src/engine/detectors/classifier.ts):
 * per category, a linear model over the draft's word unigrams and bigrams,
 * and a decision threshold chosen by k-fold cross-validation for high
 * precision. Writes rules/builtin/classifier-model.json.
 *
 *   npm run train:classifier            (train, report CV numbers, write the model)
 *   npm run train:classifier -- --check (train and report only)
 *
 * Training data: shared/corpus/dev.jsonl and tests/corpus/*.jsonl, except
 * tests/corpus/blind-e.jsonl. blind-e is the held-out test: it is never read
 * here, so nothing about the model (weights, features, thresholds, the
 * choice of learner) can have been fitted to it.
 *
 * Two learners are compared in cross-validation, logistic regression with L2
 * (full-batch Adam, deterministic) and multinomial naive Bayes; the one with
 * the better mean recall at the precision target is written. Everything is
 * deterministic: folds come from a seeded shuffle, training has no
 * randomness, and the output is sorted with fixed decimals, so retraining on
 * the same corpora gives the same file byte for byte.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES, type Category } from '../src/engine/categories';
import { bestWindow, features, type CategoryModel } from '../src/engine/detectors/classifier';
import { seededRandom } from './lib/seeded-random';

export interface Example {
  id: string;
  text: string;
  labels: string[];
}

/** A learner: examples with a yes/no label -> a linear model (bias + weights), threshold not yet set. */
export type Learner = (docs: Array<Set<string>>, y: boolean[], o: TrainOptions) => { bias: number; weights: Map<string, number> };

export interface TrainOptions {
  /** L2 strength (logistic regression). */
  l2: number;
  /** Keep this many features, by |weight| (refitted on them for logistic regression). */
  maxFeatures: number;
  /** A feature must occur in at least this many training drafts. */
  minCount: number;
  /** Full-batch optimisation steps (logistic regression). */
  steps: number;
}

export const DEFAULTS: TrainOptions = { l2: 0.001, maxFeatures: 1500, minCount: 2, steps: 300 };

function vocabulary(docs: Array<Set<string>>, minCount: number): string[] {
  const df = new Map<string, number>();
  for (const d of docs) for (const f of d) df.set(f, (df.get(f) ?? 0) + 1);
  return [...df].filter(([, n]) => n >= minCount).map(([f]) => f).sort();
}

/**
 * Logistic regression with L2 on binary features, fitted by full-batch Adam
 * (no sampling, so no randomness). Positives are weighted by the square root
 * of the class ratio: enough that a rare category is not ignored, not so much
 * that the ranking is driven by a handful of drafts.
 */
function fitLogistic(docs: number[][], y: boolean[], dim: number, o: TrainOptions): { bias: number; w: Float64Array } {
  const n = docs.length;
  const pos = y.filter(Boolean).length;
  const posWeight = pos ? Math.sqrt((n - pos) / pos) : 1;
  const w = new Float64Array(dim + 1); // last slot: bias
  const m = new Float64Array(dim + 1);
  const v = new Float64Array(dim + 1);
  const g = new Float64Array(dim + 1);
  const lr = 0.05;
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const norm = y.reduce((s, yi) => s + (yi ? posWeight : 1), 0);
  for (let t = 1; t <= o.steps; t++) {
    g.fill(0);
    for (let i = 0; i < n; i++) {
      let z = w[dim]!;
      for (const j of docs[i]!) z += w[j]!;
      const p = 1 / (1 + Math.exp(-z));
      const err = ((y[i] ? posWeight : 1) * (p - (y[i] ? 1 : 0))) / norm;
      for (const j of docs[i]!) g[j]! += err;
      g[dim]! += err;
    }
    for (let j = 0; j <= dim; j++) {
      const gj = g[j]! + (j < dim ? o.l2 * w[j]! : 0);
      m[j] = b1 * m[j]! + (1 - b1) * gj;
      v[j] = b2 * v[j]! + (1 - b2) * gj * gj;
      w[j]! -= (lr * (m[j]! / (1 - b1 ** t))) / (Math.sqrt(v[j]! / (1 - b2 ** t)) + eps);
    }
  }
  return { bias: w[dim]!, w };
}

function indexDocs(docs: Array<Set<string>>, vocab: string[]): number[][] {
  const index = new Map(vocab.map((f, i) => [f, i]));
  return docs.map((d) => [...d].map((f) => index.get(f)).filter((i): i is number => i !== undefined));
}

/** Top features by |weight|, ties broken by name so the choice is deterministic. */
function topFeatures(vocab: string[], w: ArrayLike<number>, k: number): string[] {
  return vocab
    .map((f, i) => [f, w[i]!] as const)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([f]) => f);
}

export const logisticRegression: Learner = (docs, y, o) => {
  // Fit on every feature seen often enough, keep the strongest, refit on those alone.
  const all = vocabulary(docs, o.minCount);
  const first = fitLogistic(indexDocs(docs, all), y, all.length, o);
  const kept = topFeatures(all, first.w, o.maxFeatures).sort();
  const refit = fitLogistic(indexDocs(docs, kept), y, kept.length, o);
  return { bias: refit.bias, weights: new Map(kept.map((f, i) => [f, refit.w[i]!])) };
};

/**
 * Multinomial naive Bayes over feature presence (each draft counts a feature
 * once), Laplace-smoothed, written as a linear model: weight = log P(f|yes) -
 * log P(f|no). A feature absent from the draft contributes nothing, the
 * usual multinomial form, so scoring is the same sum as for regression.
 */
export const naiveBayes: Learner = (docs, y, o) => {
  const vocab = vocabulary(docs, o.minCount);
  const counts = [new Map<string, number>(), new Map<string, number>()];
  const totals = [0, 0];
  const docsOf = [0, 0];
  docs.forEach((d, i) => {
    const c = y[i] ? 1 : 0;
    docsOf[c]!++;
    for (const f of d) {
      counts[c]!.set(f, (counts[c]!.get(f) ?? 0) + 1);
      totals[c]!++;
    }
  });
  const alpha = 1;
  const V = vocab.length;
  const w = vocab.map(
    (f) => Math.log(((counts[1]!.get(f) ?? 0) + alpha) / (totals[1]! + alpha * V)) - Math.log(((counts[0]!.get(f) ?? 0) + alpha) / (totals[0]! + alpha * V)),
  );
  const kept = new Set(topFeatures(vocab, w, o.maxFeatures));
  const bias = Math.log((docsOf[1]! + 1) / (docsOf[0]! + 1));
  return { bias, weights: new Map(vocab.map((f, i) => [f, w[i]!] as const).filter(([f]) => kept.has(f))) };
};

export function toModel(fit: { bias: number; weights: Map<string, number> }, threshold = 0): CategoryModel {
  return { bias: fit.bias, threshold, weights: Object.fromEntries(fit.weights) };
}

/** Scores a draft the way the detector does: its best sentence window. */
export function draftScore(m: CategoryModel, text: string): number {
  return bestWindow(m, text)?.score ?? -Infinity;
}

/** k folds from a seeded shuffle; each example's fold. */
export function foldsOf(n: number, k: number, seed: number): number[] {
  const order = [...Array(n).keys()];
  const rand = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const fold = new Array<number>(n);
  order.forEach((ex, pos) => (fold[ex] = pos % k));
  return fold;
}

export interface Operating {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  /** Clean drafts (no labels at all) at or above the threshold. */
  cleanFlagged: number;
}

/**
 * The lowest threshold at which precision stays >= target for every higher
 * threshold too (the precision envelope, not a lucky dip), counting only
 * operating points that flag at least minFlagged drafts. Infinity when the
 * target cannot be met: that category then never fires.
 */
export function chooseThreshold(scores: number[], y: boolean[], clean: boolean[], target: number, minFlagged = 5): Operating {
  const order = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!);
  const positives = y.filter(Boolean).length;
  let tp = 0;
  let fp = 0;
  let cleanFlagged = 0;
  let best: Operating = { threshold: Infinity, tp: 0, fp: 0, fn: positives, precision: 1, recall: 0, cleanFlagged: 0 };
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    if (y[i]) tp++;
    else fp++;
    if (clean[i]) cleanFlagged++;
    // Only cut between distinct scores.
    if (r + 1 < order.length && scores[order[r + 1]!] === scores[i]) continue;
    const precision = tp / (tp + fp);
    if (tp + fp >= minFlagged && precision < target) break;
    if (tp + fp >= minFlagged) best = { threshold: scores[i]!, tp, fp, fn: positives - tp, precision, recall: tp / positives, cleanFlagged };
  }
  return best;
}

export interface CvResult {
  /** Out-of-fold draft scores per category. */
  scores: Record<Category, number[]>;
  operating: Record<Category, Operating>;
  /** Clean drafts flagged by at least one category at the chosen thresholds. */
  cleanFlagged: number;
  clean: number;
}

export function crossValidate(data: Example[], learner: Learner, o: TrainOptions, k: number, seed: number, target: number): CvResult {
  const docs = data.map((d) => features(d.text));
  const fold = foldsOf(data.length, k, seed);
  const clean = data.map((d) => d.labels.length === 0);
  const scores = {} as Record<Category, number[]>;
  const operating = {} as Record<Category, Operating>;
  for (const c of CATEGORIES) {
    const y = data.map((d) => d.labels.includes(c));
    const s = new Array<number>(data.length);
    for (let f = 0; f < k; f++) {
      const train = data.map((_, i) => i).filter((i) => fold[i] !== f);
      const m = toModel(learner(train.map((i) => docs[i]!), train.map((i) => y[i]!), o));
      data.forEach((d, i) => {
        if (fold[i] === f) s[i] = draftScore(m, d.text);
      });
    }
    scores[c] = s;
    operating[c] = chooseThreshold(s, y, clean, target);
  }
  // The whole set may flag at most 1% of clean drafts: raise the worst offender's threshold until it does.
  const cleanIdx = data.map((_, i) => i).filter((i) => clean[i]);
  const flaggedClean = (): number => cleanIdx.filter((i) => CATEGORIES.some((c) => scores[c][i]! >= operating[c].threshold)).length;
  while (flaggedClean() > Math.floor(0.01 * cleanIdx.length)) {
    const worst = [...CATEGORIES].sort((a, b) => operating[b].cleanFlagged - operating[a].cleanFlagged)[0]!;
    const y = data.map((d) => d.labels.includes(worst));
    const higher = scores[worst].filter((x) => x > operating[worst].threshold);
    const next = higher.length ? Math.min(...higher) : Infinity;
    operating[worst] = operatingAt(scores[worst], y, clean, next);
  }
  return { scores, operating, cleanFlagged: flaggedClean(), clean: cleanIdx.length };
}

function operatingAt(scores: number[], y: boolean[], clean: boolean[], threshold: number): Operating {
  let tp = 0;
  let fp = 0;
  let cleanFlagged = 0;
  scores.forEach((s, i) => {
    if (s < threshold) return;
    if (y[i]) tp++;
    else fp++;
    if (clean[i]) cleanFlagged++;
  });
  const positives = y.filter(Boolean).length;
  return { threshold, tp, fp, fn: positives - tp, precision: tp + fp ? tp / (tp + fp) : 1, recall: positives ? tp / positives : 0, cleanFlagged };
}

// ---- The run ----

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The held-out corpus. Never read by this script. */
export const HELD_OUT = 'blind-e.jsonl';

export function trainingFiles(): string[] {
  const dir = join(root, 'tests/corpus');
  return [
    join(root, '../shared/corpus/dev.jsonl'),
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl') && f !== HELD_OUT)
      .sort()
      .map((f) => join(dir, f)),
  ];
}

function readJsonl(file: string): Example[] {
  if (basename(file) === HELD_OUT) throw new Error(`${file} is the held-out corpus and must never be trained on`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Example);
}

const fixed = (x: number, d = 4): number => Number(x.toFixed(d));

/** The model file: sorted, fixed decimals, one feature per line, so a retrain diffs cleanly. */
export function serialise(meta: Record<string, unknown>, models: Partial<Record<Category, CategoryModel & { cv: Omit<Operating, 'threshold'> }>>): string {
  const lines = ['{', `  "about": ${JSON.stringify(meta)},`, '  "categories": {'];
  const cats = CATEGORIES.filter((c) => models[c]);
  cats.forEach((c, ci) => {
    const m = models[c]!;
    const entries = Object.entries(m.weights)
      .map(([f, w]) => [f, fixed(w)] as const)
      .filter(([, w]) => w !== 0)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1));
    lines.push(`    ${JSON.stringify(c)}: {`);
    lines.push(`      "bias": ${fixed(m.bias)}, "threshold": ${Number.isFinite(m.threshold) ? fixed(m.threshold) : 1e9},`);
    lines.push(`      "cv": ${JSON.stringify(m.cv)},`);
    lines.push('      "weights": {');
    entries.forEach(([f, w], i) => lines.push(`        ${JSON.stringify(f)}: ${w}${i + 1 < entries.length ? ',' : ''}`));
    lines.push(`      }`);
    lines.push(`    }${ci + 1 < cats.length ? ',' : ''}`);
  });
  lines.push('  }', '}');
  return `${lines.join('\n')}\n`;
}

function main(): void {
  const write = !process.argv.includes('--check');
  const files = trainingFiles().filter(existsSync);
  const data = files.flatMap(readJsonl);
  const K = 5;
  const SEED = 20261126;
  const TARGET = 0.95;
  console.log(`training on ${data.length} drafts from ${files.map((f) => basename(f)).join(', ')} (${HELD_OUT} held out)`);

  const learners = { 'logistic-l2': logisticRegression, 'naive-bayes': naiveBayes } as const;
  const results = {} as Record<keyof typeof learners, CvResult>;
  for (const [name, learner] of Object.entries(learners) as Array<[keyof typeof learners, Learner]>) {
    const t0 = performance.now();
    const cv = crossValidate(data, learner, DEFAULTS, K, SEED, TARGET);
    results[name] = cv;
    console.log(`\n${name}: ${K}-fold CV, threshold for precision >= ${TARGET} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    console.log('category        thresh    tp   fp   fn  prec  recall  clean-flagged');
    for (const c of CATEGORIES) {
      const op = cv.operating[c];
      console.log(
        `${c.padEnd(15)} ${op.threshold.toFixed(2).padStart(6)} ${String(op.tp).padStart(5)} ${String(op.fp).padStart(4)} ${String(op.fn).padStart(4)}  ${op.precision.toFixed(2)}  ${op.recall.toFixed(2)}    ${op.cleanFlagged}`,
      );
    }
    const meanRecall = CATEGORIES.reduce((s, c) => s + cv.operating[c].recall, 0) / CATEGORIES.length;
    console.log(`mean recall ${meanRecall.toFixed(3)}; clean drafts flagged ${cv.cleanFlagged} of ${cv.clean}`);
  }
  const meanRecall = (cv: CvResult): number => CATEGORIES.reduce((s, c) => s + cv.operating[c].recall, 0);
  const chosen = meanRecall(results['logistic-l2']) >= meanRecall(results['naive-bayes']) ? 'logistic-l2' : 'naive-bayes';
  console.log(`\nchosen learner: ${chosen} (better mean CV recall at the precision target)`);
  if (!write) return;

  const docs = data.map((d) => features(d.text));
  const models: Partial<Record<Category, CategoryModel & { cv: Omit<Operating, 'threshold'> }>> = {};
  for (const c of CATEGORIES) {
    const y = data.map((d) => d.labels.includes(c));
    const { threshold, ...cv } = results[chosen].operating[c];
    models[c] = { ...toModel(learners[chosen](docs, y, DEFAULTS), threshold), cv };
  }
  const meta = {
    learner: chosen,
    features: 'distinct word unigrams and bigrams (lower case, digits as 0, light stemming) plus <caps> and <!>',
    options: DEFAULTS,
    trainedOn: files.map((f) => basename(f)),
    drafts: data.length,
    heldOut: HELD_OUT,
    cv: { folds: K, seed: SEED, precisionTarget: TARGET, cleanFlagged: results[chosen].cleanFlagged, clean: results[chosen].clean },
  };
  const out = join(root, 'rules/builtin/classifier-model.json');
  writeFileSync(out, serialise(meta, models));
  console.log(`wrote ${out}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
