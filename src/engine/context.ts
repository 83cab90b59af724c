/**
 * Context words near a match (Presidio's context words, Purview's supporting
 * evidence): `requires`, `boosts` and `unless` on any rule. Distances are in
 * words, measured inside the sentence that holds the match (for near rules,
 * whose matches may span sentences, inside the whole draft).
 */
import type { Context } from './schema';
import { termSource, WB_AFTER, WB_BEFORE, wordIndexAt, wordStarts } from './text';

export interface CompiledContext {
  regex: RegExp;
  /** The same regex anchored at lastIndex, to try one position at a time. */
  sticky: RegExp;
  within: number;
  side: Context['side'];
}

export function compileContext(ctx: Context | undefined): CompiledContext | undefined {
  if (!ctx) return undefined;
  const source = `${WB_BEFORE}(?:${ctx.words.map(termSource).join('|')})${WB_AFTER}`;
  return { regex: new RegExp(source, 'giu'), sticky: new RegExp(source, 'yiu'), within: ctx.within, side: ctx.side };
}

/**
 * When more than this many characters follow the window, the context words
 * are looked for position by position inside the window: a plain search
 * that finds none there would read on to the end of the text, which for a
 * near rule is the whole draft, once per pair of hits.
 */
const LONG_TAIL = 256;

/**
 * Each match of the context regex that starts in [from, to), in order: the
 * matches a search from `from` finds, up to the first one starting at or
 * after `to`.
 */
function* matchesIn(c: CompiledContext, text: string, from: number, to: number): Generator<{ start: number; end: number }> {
  if (text.length - to <= LONG_TAIL) {
    c.regex.lastIndex = from;
    let m: RegExpExecArray | null;
    while ((m = c.regex.exec(text)) && m.index < to) {
      yield { start: m.index, end: m.index + m[0].length };
      if (m[0].length === 0) c.regex.lastIndex++;
    }
    return;
  }
  // A search tries each position in turn (whole characters, as the 'u' flag does); so does this, but stops at `to`.
  for (let pos = from; pos < to; ) {
    c.sticky.lastIndex = pos;
    const m = c.sticky.exec(text);
    if (m) {
      yield { start: pos, end: pos + m[0].length };
      pos += m[0].length || 1; // after an empty match the search above moves on by one as well
    } else pos += isPairAt(text, pos) ? 2 : 1;
  }
}

/** True when a surrogate pair (one astral character, e.g. an emoji) starts at i. */
function isPairAt(text: string, i: number): boolean {
  const hi = text.charCodeAt(i);
  const lo = text.charCodeAt(i + 1);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

/** Word positions of a sentence, computed once per sentence and shared by all rules. */
export class SentenceWords {
  constructor(
    readonly text: string,
    /** Already-known word starts of `text`, if the caller has them. */
    private starts?: number[],
  ) {}
  get(): number[] {
    return (this.starts ??= wordStarts(this.text));
  }
}

/** True when a context word lies within `within` words of [start, end). */
export function contextNear(c: CompiledContext, words: SentenceWords, start: number, end: number): boolean {
  const text = words.text;
  const starts = words.get();
  // Only the words within reach can count: scan that window, not the whole text, so a
  // near rule over a long draft stays linear in its hits rather than hits x draft length.
  const first = wordIndexAt(starts, start);
  const last = wordIndexAt(starts, Math.max(start, end - 1));
  const from = c.side === 'after' ? start : (starts[Math.max(0, first - c.within - 1)] ?? 0);
  const to = c.side === 'before' ? end : (starts[last + c.within + 2] ?? text.length);
  for (const { start: cs, end: ce } of matchesIn(c, text, from, to)) {
    if (ce > start && cs < end) return true; // overlaps the match itself
    if (ce <= start && c.side !== 'after') {
      const gap = first - wordIndexAt(starts, Math.max(cs, ce - 1));
      if (gap <= c.within) return true;
    }
    if (cs >= end && c.side !== 'before') {
      const gap = wordIndexAt(starts, cs) - last;
      if (gap <= c.within) return true;
    }
  }
  return false;
}
