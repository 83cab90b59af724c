/**
 * classifier: a learned second opinion. Hand-written rules match wording;
 * drafts nobody tuned on are worded differently. This detector scores the
 * draft with a small linear model per category (logistic regression over
 * word unigrams and bigrams, trained by scripts/train-classifier.ts on the
 * labelled corpora) and reports the best-scoring sentence window when its
 * score clears the category's threshold, which was chosen by
 * cross-validation for high precision.
 *
 * Labels are per draft, so the unit scored is a window of a sentence and its
 * neighbour: short enough to give the writer a span to look at, long enough
 * to keep the context a label was given for. The detector works on the whole
 * draft (a document matcher), reports at most one finding, and is a second
 * opinion: check() drops its finding when any other rule of the same
 * category already flagged the draft, so it never repeats a rule.
 *
 * DOM-free and dependency-free: the model is a JSON table of weights, the
 * same one in the CLI and the extension.
 */
import { z } from 'zod';
import model from '../../../rules/builtin/classifier-model.json';
import { CATEGORIES, type Category } from '../categories';
import { segmentText } from '../text';
import type { LocalHit } from '../types';
import { defineDetector } from './types';

/** One category's model: score = bias + the weights of the features present; flag when score >= threshold. */
export interface CategoryModel {
  bias: number;
  threshold: number;
  weights: Record<string, number>;
}

export interface ClassifierModel {
  categories: Partial<Record<Category, CategoryModel>>;
}

// ---- Features (shared with the trainer, so training and checking can never disagree) ----

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/**
 * A light suffix stemmer: folds plurals and the commonest verb endings so
 * "refunds", "refunded" and "refunding" share a feature. Deliberately crude:
 * a wrong stem only has to be wrong the same way in training and checking.
 */
export function stem(w: string): string {
  if (w.length <= 4) return w;
  if (w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ing') && w.length > 5) return w.slice(0, -3);
  if (w.endsWith('ed') && w.length > 5) return w.slice(0, -2);
  if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}

/**
 * The normalised words of a text: lower case, apostrophes dropped ("don't"
 * -> "dont"), every run of digits written as "0" (so "07700 900123" and
 * "INC0012345" keep their shape but not their value), then stemmed.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) out.push(stem(m[0].toLowerCase().replace(/['’]/g, '').replace(/\p{N}+/gu, '0')));
  return out;
}

/**
 * The features of a text: its distinct unigrams and bigrams ("we will"),
 * plus two marks of tone that tokens lose: a word of three or more capital
 * letters ("<caps>") and an exclamation mark ("<!>").
 */
export function features(text: string): Set<string> {
  const words = tokenize(text);
  const out = new Set<string>(words);
  for (let i = 1; i < words.length; i++) out.add(`${words[i - 1]} ${words[i]}`);
  if (/\b\p{Lu}{3,}\b/u.test(text)) out.add('<caps>');
  if (text.includes('!')) out.add('<!>');
  return out;
}

/** The model's score (log-odds) of a text. */
export function score(m: CategoryModel, text: string): number {
  let s = m.bias;
  for (const f of features(text)) s += m.weights[f] ?? 0;
  return s;
}

/**
 * The windows a draft is scored on: each sentence with its next neighbour,
 * or the one sentence of a one-sentence draft. Offsets are into the draft.
 */
export function windows(text: string): Array<{ start: number; end: number }> {
  const segs = segmentText(text);
  if (segs.length <= 1) return segs.map((s) => ({ start: s.start, end: s.end }));
  const out: Array<{ start: number; end: number }> = [];
  for (let i = 0; i + 1 < segs.length; i++) out.push({ start: segs[i]!.start, end: segs[i + 1]!.end });
  return out;
}

/** The best-scoring window of a draft and its score; null for a draft with no words. */
export function bestWindow(
  m: CategoryModel,
  text: string,
  scoreOf = (window: string) => score(m, window),
  spans = windows(text),
): { start: number; end: number; score: number } | null {
  let best: { start: number; end: number; score: number } | null = null;
  for (const w of spans) {
    const s = scoreOf(text.slice(w.start, w.end));
    if (!best || s > best.score) best = { ...w, score: s };
  }
  return best;
}

/**
 * Memos, so a re-check after an edit costs little: the draft is checked as
 * it is typed, and every category's rule scores the same windows. They never
 * change a result. Bounded like check()'s sentence memo.
 */
const MAX_MEMO = 2000;
const featureMemo = new Map<string, string[]>();
let lastDraft: { text: string; windows: Array<{ start: number; end: number }> } | null = null;

function remember<V>(memo: Map<string, V>, key: string, make: () => V): V {
  let v = memo.get(key);
  if (v === undefined) {
    if (memo.size >= MAX_MEMO) memo.delete(memo.keys().next().value!);
    memo.set(key, (v = make()));
  }
  return v;
}

/** windows(), remembered for the last draft: the nine category rules all ask for the same one. */
function draftWindows(text: string): Array<{ start: number; end: number }> {
  if (lastDraft?.text !== text) lastDraft = { text, windows: windows(text) };
  return lastDraft.windows;
}

// ---- The detector ----

const MODEL = model as unknown as ClassifierModel;

const Options = z
  .object({
    category: z.enum(CATEGORIES).describe('Which category model to use (rules/builtin/classifier-model.json).'),
    thresholdOffset: z
      .number()
      .min(-5)
      .max(5)
      .default(0)
      .describe('Added to the cross-validated threshold (log-odds): above 0 is stricter, fewer findings.'),
  })
  .strict()
  .refine((o) => MODEL.categories[o.category] !== undefined, {
    message: 'no trained model for this category (run npm run train:classifier)',
    path: ['category'],
  });

export type ClassifierOptions = z.infer<typeof Options>;

export const classifierDetector = defineDetector<ClassifierOptions>({
  name: 'classifier',
  description: 'A learned second opinion: flags the sentence window a per-category linear model scores above its threshold.',
  options: Options as unknown as z.ZodType<ClassifierOptions>,
  secondOpinion: true,
  create(options) {
    const m = MODEL.categories[options.category]!;
    const threshold = m.threshold + options.thresholdOffset;
    const scores = new Map<string, number>();
    const scoreOf = (window: string): number =>
      remember(scores, window, () => {
        let s = m.bias;
        for (const f of remember(featureMemo, window, () => [...features(window)])) s += m.weights[f] ?? 0;
        return s;
      });
    return {
      keywords: null,
      // Works on the whole draft (findInDocument); never on one sentence alone.
      find: () => [],
      findInDocument(text): LocalHit[] {
        const best = bestWindow(m, text, scoreOf, draftWindows(text));
        return best && best.score >= threshold ? [{ start: best.start, end: best.end }] : [];
      },
    };
  },
});
