/**
 * Text helpers shared by the rule kinds. All offsets are UTF-16 code-unit
 * offsets into the draft, the unit a browser Range and setSelectionRange use.
 */

export interface Segment {
  start: number;
  end: number;
  text: string;
}

/** Longest segment handed to a rule; longer runs are cut at a space so no regex sees unbounded input. */
export const MAX_SEGMENT = 1200;

/**
 * Words that end in a full stop without ending the sentence ("Mr. Smith",
 * "e.g. Tuesday"), compared lower-case without the final stop. "etc." and
 * "no." are left out: they end sentences as often as not.
 */
const ABBREVIATIONS = new Set(
  'mr mrs ms mx dr prof sr jr st rev revd hon sgt cpl capt col gen lt cllr rt sir sen rep gov pres supt insp det cmdr dept govt approx ref tel ext fig vol e.g i.e cf vs viz'.split(' '),
);

/** Abbreviations that come before a number: "No. 10", "para. 4", "s. 12 of the Act", "D.O.B. 14/03/1987". */
const NUMBER_ABBREVIATIONS = new Set('no nos p pp para paras s ss art arts ch sec d.o.b'.split(' '));

/** True when the full stop at `dot` ends an abbreviation or an initial ("J. Smith"). */
function endsAbbreviation(text: string, dot: number): boolean {
  let i = dot;
  while (i > 0 && /[\p{L}.]/u.test(text[i - 1]!)) i--;
  const word = text.slice(i, dot).toLowerCase();
  if (ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(text.slice(i, dot))) return true;
  return NUMBER_ABBREVIATIONS.has(word) && /^\.\s+\d/.test(text.slice(dot, dot + 3));
}

/**
 * Splits a draft into sentence-like segments: at line breaks (any
 * convention) and after . ! ? followed by a space and a capital, quote or
 * digit. Abbreviations ("Mr.", "e.g.") and initials stay inside their
 * sentence, and decimals do because the next character is not a space.
 * Segments are the unit of the re-check cache.
 */
export function segmentText(text: string): Segment[] {
  const out: Segment[] = [];
  // Line breaks: \n, a lone \r (old Mac text) and the Unicode line/paragraph separators.
  const boundary = /[\n\r\u2028\u2029]+|[.!?…]+["'”’)]*(?=\s+["'“‘(]?[\p{Lu}\p{N}])/gu;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = boundary.exec(text))) {
    if (m[0] === '.' && endsAbbreviation(text, m.index)) continue;
    const end = /^[\n\r\u2028\u2029]/.test(m[0]) ? m.index : m.index + m[0].length;
    pushSegment(out, text, start, end);
    start = m.index + m[0].length;
  }
  pushSegment(out, text, start, text.length);
  return out;
}

function pushSegment(out: Segment[], text: string, start: number, end: number): void {
  // Trim surrounding whitespace so the cache key does not depend on it.
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  while (end - start > MAX_SEGMENT) {
    let cut = text.lastIndexOf(' ', start + MAX_SEGMENT);
    if (cut <= start) {
      cut = start + MAX_SEGMENT;
      // Never cut between the two halves of an emoji or other astral character.
      if (/[\uD800-\uDBFF]/.test(text[cut - 1]!)) cut--;
    }
    out.push({ start, end: cut, text: text.slice(start, cut) });
    start = cut;
    while (start < end && /\s/.test(text[start]!)) start++;
  }
  if (end > start) out.push({ start, end, text: text.slice(start, end) });
}

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’_@.:/-]*/gu;

/** Start offsets of every word, for "within N words" distances. */
export function wordStarts(text: string): number[] {
  const starts: number[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text))) starts.push(m.index);
  return starts;
}

/** Index of the word containing or following offset `pos` (binary search). */
export function wordIndexAt(starts: number[], pos: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= pos) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}

/**
 * Lower case without changing the length: toLowerCase turns "İ" into two
 * code units, which would shift every later offset; such letters stay as written.
 */
export function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  return text.replace(/\p{Lu}|\p{Lt}/gu, (c) => {
    const l = c.toLowerCase();
    return l.length === c.length ? l : c;
  });
}

/**
 * The form keyword prefilters compare in: lower case, one kind of apostrophe,
 * single spaces. Applied to both the keywords and the sentence, so "won't"
 * finds "Won’t". The long s "ſ" becomes "s" because a case-insensitive regex
 * matches it for "s" while toLowerCase keeps it, and a keyword must be found
 * wherever its rule's regex can match. Only used for containment tests, never
 * for offsets.
 */
export function keywordForm(s: string): string {
  return s
    .toLowerCase()
    .replace(/[‘’ʼſ]/g, (c) => (c === 'ſ' ? 's' : "'"))
    .replace(/\s+/g, ' ');
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Word-boundary guards that understand accented letters and combining accents (\b does not). */
export const WB_BEFORE = '(?<![\\p{L}\\p{M}\\p{N}_])';
export const WB_AFTER = '(?![\\p{L}\\p{M}\\p{N}_])';

/**
 * A regex source for one plain-words term: spaces match any run of
 * whitespace or hyphens, and a trailing * matches any word ending.
 */
export function termSource(term: string): string {
  const t = term.trim();
  const wild = t.endsWith('*');
  const body = (wild ? t.slice(0, -1) : t)
    .split(/\s+/)
    .map((w) => escapeRegex(w).replace(/['’]/g, "['’]"))
    .join('[\\s\\u00a0-]+');
  return wild ? `${body}[\\p{L}\\p{N}'’-]*` : body;
}

/** Replaces "{match}" in a rule message with the flagged words (shortened). */
export function formatMessage(message: string, match: string): string {
  let cut = 57;
  if (/[\uD800-\uDBFF]/.test(match[cut - 1] ?? '')) cut--; // keep an emoji whole
  const shown = match.length > 60 ? `${match.slice(0, cut)}…` : match;
  // A function replacement: a string one would read "$&" or "$$" in the match (common in passwords) as patterns.
  return message.replaceAll('{match}', () => shown);
}
