/**
 * shouting: a whole sentence written in capitals ("PLEASE READ THE
 * DESCRIPTION."). Capitals are also how people write acronyms (NHS, DWP),
 * protective markings (OFFICIAL-SENSITIVE), embargo lines and headings, and
 * how they quote a sign or a rule ('NO BALL GAMES'), so the detector:
 *  - blanks out quoted text, @handles, #hashtags, links and marking labels;
 *  - counts only words of two or more letters;
 *  - needs ordinary English words among the capitals (THE, YOU, ARE, NOT):
 *    a run of acronyms never contains them;
 *  - skips short lines with no sentence punctuation, which are headings;
 *  - skips cheers written in capitals ("MERRY CHRISTMAS FROM ALL OF US!",
 *    "CONGRATULATIONS TO OUR WINNERS!"): an exclamation that celebrates is
 *    not raised at anyone.
 */
import { z } from 'zod';
import type { LocalHit } from '../types';
import { defineDetector } from './types';

/** Handling labels that are written in capitals by convention; they are the marking rules' business, not shouting. */
const MARKINGS =
  /\b(?:OFFICIAL[- ]SENSITIVE|OFFICIAL|TOP SECRET|SECRET|RESTRICTED|CONFIDENTIAL|STRICTLY CONFIDENTIAL|PRIVILEGED(?: AND| &)? CONFIDENTIAL|COMMERCIAL IN CONFIDENCE|IN-CONFIDENCE|PROTECT(?:ED)?(?: [ABC])?|INTERNAL(?: USE)? ONLY|NOT FOR (?:CIRCULATION|PUBLICATION|DISTRIBUTION)|DO NOT (?:FORWARD|CIRCULATE|COPY)|EMBARGOED|EMBARGO|UNDER EMBARGO|DRAFT|SENSITIVE|PERSONAL|CUI|FOUO|NOFORN|ORCON|TLP:\s?[A-Z]+)\b/g;

const QUOTED = /(?<![\p{L}\p{N}])(["“‘']).+?(["”’'])(?![\p{L}\p{N}])/gu;
const NOISE = /https?:\/\/\S+|www\.\S+|[@#][\p{L}\p{N}_]+|\b[\p{L}\p{N}.-]+\.(?:com|org|net|uk|gov|ac|edu|io|ca|ie|au|nz)(?:\/\S*)?/gu;
const WORD = /\p{L}[\p{L}'’-]*/gu;
const CAPITAL_RUN = /\p{Lu}{2,}/gu;

/** Common words that occur in any shouted sentence and in no acronym list. */
const ORDINARY_WORDS = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'it', 'its', "it's", 'is', 'are', 'was', 'were', 'be', 'been', 'am', 'do',
  'does', 'did', "don't", "doesn't", "didn't", 'not', 'no', 'yes', 'have', 'has', 'had', 'will', "won't", 'can', "can't", 'cannot',
  'would', 'should', 'must', 'you', 'your', "you're", 'yours', 'we', "we're", "we've", 'our', 'us', 'i', "i'm", "i've", 'me', 'my',
  'they', 'them', 'their', 'he', 'she', 'his', 'her', 'him', 'there', 'here', 'what', 'why', 'how', 'who', 'when', 'where',
  'and', 'but', 'or', 'so', 'of', 'to', 'for', 'in', 'on', 'at', 'with', 'about', 'from', 'again', 'please', 'stop', 'just',
  'all', 'any', 'every', 'read', 'time', 'now', 'if', 'then', 'than', 'one', 'more', 'answer', 'answering', 'asking',
  'told', 'tell', 'said', 'say', 'ask', 'get', 'go', 'keep',
]);

const Options = z
  .object({
    minWords: z.number().int().min(2).max(20).default(4).describe('At least this many words in capitals.'),
    minUpperRatio: z.number().min(0.5).max(1).default(0.8).describe('Share of the letters that must be capitals.'),
    headingMaxWords: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(5)
      .describe('A line of at most this many words without . ! or ? at the end is a heading, not shouting.'),
  })
  .strict();

export type ShoutingOptions = z.infer<typeof Options>;

/** Words of celebration and thanks; a capitalised exclamation that contains one is a cheer, not shouting. */
const CHEER =
  /\b(?:HAPPY|MERRY|CONGRATULATIONS|CONGRATS|WELL DONE|GOOD LUCK|HOORAY|HURRAH|HURRAY|YAY|WOO+HOO+|WELCOME|THANK YOU|THANKS|BIRTHDAY|CHRISTMAS|NEW YEAR|EID MUBARAK|DIWALI|BRAVO|CHAMPIONS|WINNERS?)\b/;
/** Ends with "!" (a cheer's punctuation), optionally followed by emoji. */
const EXCLAIMED = /!+["'”’)]*[\s\p{Extended_Pictographic}\uFE0F\u200D]*$/u;

/** Replaces a match with spaces so offsets stay put. */
const blank = (s: string): string => ' '.repeat(s.length);

export function findShouting(text: string, o: ShoutingOptions): LocalHit | undefined {
  const cleaned = text.replace(QUOTED, blank).replace(NOISE, blank).replace(MARKINGS, blank);
  let upper = 0;
  let letters = 0;
  let words = 0;
  let ordinary = 0;
  let first = -1;
  let last = -1;
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(cleaned))) {
    const w = m[0];
    const cased = w.replace(/[^\p{Lu}\p{Ll}]/gu, '');
    if (cased.length < 2) continue;
    words++;
    const caps = cased.replace(/\p{Ll}/gu, '').length;
    upper += caps;
    letters += cased.length;
    if (caps === cased.length) {
      if (first < 0) first = m.index;
      last = m.index + w.length;
      if (ORDINARY_WORDS.has(w.toLowerCase().replace(/’/g, "'"))) ordinary++;
    }
  }
  if (first < 0 || letters === 0 || upper / letters < o.minUpperRatio) return undefined;
  const shouted = cleaned.slice(first, last).match(WORD)?.filter((w) => w.length >= 2 && w === w.toUpperCase()).length ?? 0;
  if (shouted < o.minWords || ordinary < 2) return undefined;
  const isHeading = !/[.!?…]["'”’)]*\s*$/.test(text.trim()) && words <= o.headingMaxWords;
  if (isHeading) return undefined;
  if (EXCLAIMED.test(text) && CHEER.test(cleaned.slice(first, last))) return undefined;
  return { start: first, end: last };
}

export const shoutingDetector = defineDetector<ShoutingOptions>({
  name: 'shouting',
  description: 'Whole sentences in capital letters, ignoring acronyms, protective markings, headings and quoted text.',
  options: Options as z.ZodType<ShoutingOptions>,
  create(options) {
    return {
      keywords: null,
      find(s): LocalHit[] {
        // Cheap exit: without minWords runs of two or more capitals there is nothing to weigh.
        if ((s.text.match(CAPITAL_RUN)?.length ?? 0) < options.minWords) return [];
        const hit = findShouting(s.text, options);
        return hit ? [hit] : [];
      },
    };
  },
});
