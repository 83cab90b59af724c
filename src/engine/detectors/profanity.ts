/**
 * profanity: swearing and slurs, found by the `obscenity` package's English
 * data set with its recommended transformers, which see through disguises
 * ("fuuuck", "sh1t", look-alike Unicode letters) while whitelisting the
 * innocent words that contain a bad one (Scunthorpe, Sussex, cocktail,
 * shiitake).
 *
 * A few words in that data set are everyday vocabulary for a public service
 * (a police account writes "rape" and "sex offender", a clinic writes
 * "penis", a nature reserve writes "blue tit", "Dick" is a name): they are
 * ignored by default, and a pack can change the list.
 */
import {
  DataSet,
  englishDataset,
  englishRecommendedBlacklistMatcherTransformers,
  englishRecommendedWhitelistMatcherTransformers,
  parseRawPattern,
  RegExpMatcher,
  type TransformerContainer,
} from 'obscenity';
import { z } from 'zod';
import type { LocalHit } from '../types';
import { defineDetector } from './types';

/** Data-set words not reported by default: clinical, legal or everyday uses outnumber the rude ones in official replies. */
export const DEFAULT_IGNORED = [
  'anal', 'anus', 'bestiality', 'boob', 'cum', 'dick', 'ejaculate', 'hooker', 'incest', 'masturbate', 'orgasm', 'penis', 'porn',
  'rape', 'scat', 'semen', 'sex', 'tit', 'vagina',
];

/** Innocent words and place names that the data set would otherwise catch inside a longer word. */
export const DEFAULT_ALLOWED = ['cockpit', 'cockpits', 'shiitake', 'penistone', 'pissarro', 'twatt', 'scunthorpe', 'cockerel', 'cockle', 'cockles'];

const Options = z
  .object({
    extraWords: z
      .array(z.string().min(2).regex(/^[\p{L}' -]+$/u, 'letters, spaces, hyphens or apostrophes only'))
      .default([])
      .describe('More words or phrases to report, matched as whole words (disguised spellings included).'),
    ignore: z
      .array(z.string().min(1))
      .default(DEFAULT_IGNORED)
      .describe('Words of the built-in English list that are not reported.'),
    allow: z.array(z.string().min(1)).default([]).describe('Longer words that contain a listed word but are fine ("Penistone").'),
  })
  .strict();

export type ProfanityOptions = z.infer<typeof Options>;

interface WordMeta {
  originalWord: string;
}

/**
 * The blacklist transformers collapse repeated letters in the text before the
 * patterns see it ("sodding" becomes "soding"; b, e, o, l, s and g may stay
 * doubled), so an extra word must be collapsed the same way or it can never match.
 */
const KEEPS_DOUBLE = new Set(['b', 'e', 'o', 'l', 's', 'g']);
function collapseLikeText(word: string): string {
  return word.replace(/(.)\1+/g, (run, c: string) => c.repeat(KEEPS_DOUBLE.has(c) ? Math.min(run.length, 2) : 1));
}

/** obscenity's pattern syntax gives [ ] ? | and \ special meaning; extra words are plain text. */
function plainPattern(word: string): string {
  return `|${collapseLikeText(word.toLowerCase()).replace(/[[\]?|\\]/g, '\\$&')}|`;
}

/** The transformers the matcher's patterns see the text through (the quick test uses the same ones). */
export const BLACKLIST_TRANSFORMERS = englishRecommendedBlacklistMatcherTransformers;

export function buildProfanityMatcher(options: ProfanityOptions): RegExpMatcher {
  const ignored = new Set(options.ignore.map((w) => w.toLowerCase()));
  const data = new DataSet<WordMeta>()
    .addAll(englishDataset)
    .removePhrasesIf((p) => ignored.has(p.metadata?.originalWord ?? ''));
  for (const word of options.extraWords)
    data.addPhrase((p) => p.setMetadata({ originalWord: word }).addPattern(parseRawPattern(plainPattern(word))));
  const built = data.build();
  return new RegExpMatcher({
    ...built,
    whitelistedTerms: [...(built.whitelistedTerms ?? []), ...DEFAULT_ALLOWED, ...options.allow.map((w) => w.toLowerCase())],
    blacklistMatcherTransformers: BLACKLIST_TRANSFORMERS,
    whitelistMatcherTransformers: englishRecommendedWhitelistMatcherTransformers,
  });
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

function wholeWord(text: string, start: number, end: number): { start: number; end: number } {
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
  return { start, end };
}

/**
 * The obscenity internal the quick test below relies on: the compiled pattern
 * regexes. Not part of its public API, so it is checked before use.
 */
interface MatcherInternals {
  blacklistedTerms?: Array<{ regExp?: unknown }>;
}

/**
 * The text obscenity's patterns run on: each character through the
 * transformers in order (undoing look-alike letters, leetspeak, case and
 * repeated letters), dropped when one returns undefined. The same
 * transformers as RegExpMatcher's own pass, without the offset map it also
 * builds; characters below 128 go through the stateless leading
 * transformers by a table made by calling them once.
 */
export function transformerPass(transformers: TransformerContainer[]): (text: string) => string {
  let lead = 0;
  while (lead < transformers.length && 'transform' in transformers[lead]!) lead++;
  const simple = transformers.slice(0, lead).map((t) => (t as { transform: (c: number) => number | undefined }).transform);
  const rest = transformers.slice(lead);
  const throughLead = (c: number): number | undefined => {
    let t: number | undefined = c;
    for (const f of simple) if ((t = f(t)) === undefined) break;
    return t;
  };
  const ascii = Array.from({ length: 128 }, (_, c) => throughLead(c));
  return (text) => {
    // Stateful transformers (collapsing repeats) start afresh for each text, as RegExpMatcher resets them.
    const steps = rest.map((t) => ('factory' in t ? t.factory() : t));
    let out = '';
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      let t = cp < 128 ? ascii[cp] : throughLead(cp);
      for (let k = 0; k < steps.length && t !== undefined; k++) t = steps[k]!.transform(t);
      if (t !== undefined) out += String.fromCodePoint(t);
    }
    return out;
  };
}

/**
 * A quick "could anything match?" test for a sentence. getAllMatches builds
 * a whitelist index, then runs each of its ~70 patterns as a separate regex
 * over the transformed text (about 0.5 ms per 1,000 characters), and most
 * sentences match none. Every match it reports is a match of one of those
 * regexes on that transformed text, so when one regex made of all of them
 * finds nothing there, getAllMatches would find nothing either: the test
 * never hides a match. Returns undefined (no quick test: every sentence goes
 * to getAllMatches) if a new obscenity version has changed its internals.
 */
export function quickRejecter(matcher: RegExpMatcher, transformers: TransformerContainer[]): ((text: string) => boolean) | undefined {
  const terms = (matcher as unknown as MatcherInternals).blacklistedTerms;
  if (!Array.isArray(terms) || !terms.length) return undefined;
  const regexes = terms.map((t) => t.regExp);
  if (!regexes.every((r): r is RegExp => r instanceof RegExp)) return undefined;
  const flags = new Set(regexes.map((r) => r.flags.replace('g', '')));
  if (flags.size !== 1) return undefined;
  const any = new RegExp(regexes.map((r) => `(?:${r.source})`).join('|'), [...flags][0]);
  const transform = transformerPass(transformers);
  return (text) => !any.test(transform(text));
}

/** Every obscenity match in a sentence, each grown to its whole word, overlapping ones merged. */
export function profanityHits(matcher: RegExpMatcher, text: string): LocalHit[] {
  const hits: LocalHit[] = [];
  // obscenity reports UTF-16 offsets with an inclusive end. The span grows to the whole
  // word ("bullshit", not "shit"), and one word matching several patterns is one hit.
  for (const m of matcher.getAllMatches(text, true)) {
    const { start, end } = wholeWord(text, m.startIndex, m.endIndex + 1);
    const prev = hits[hits.length - 1];
    if (prev && start < prev.end) prev.end = Math.max(prev.end, end);
    else hits.push({ start, end });
  }
  return hits;
}

export const profanityDetector = defineDetector<ProfanityOptions>({
  name: 'profanity',
  description: 'Swear words and slurs, including disguised spellings, without flagging innocent words that contain them.',
  options: Options as z.ZodType<ProfanityOptions>,
  create(options) {
    const matcher = buildProfanityMatcher(options);
    const cannotMatch = quickRejecter(matcher, BLACKLIST_TRANSFORMERS);
    return {
      // Disguised spellings defeat any literal prefilter; quickRejecter is the prefilter.
      keywords: null,
      find(s): LocalHit[] {
        if (cannotMatch?.(s.text)) return [];
        return profanityHits(matcher, s.text);
      },
    };
  },
});
