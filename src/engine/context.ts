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
  within: number;
  side: Context['side'];
}

export function compileContext(ctx: Context | undefined): CompiledContext | undefined {
  if (!ctx) return undefined;
  const alts = ctx.words.map(termSource).join('|');
  return { regex: new RegExp(`${WB_BEFORE}(?:${alts})${WB_AFTER}`, 'giu'), within: ctx.within, side: ctx.side };
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
  c.regex.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = c.regex.exec(text)) && m.index < to) {
    const cs = m.index;
    const ce = cs + m[0].length;
    if (ce > start && cs < end) return true; // overlaps the match itself
    if (ce <= start && c.side !== 'after') {
      const gap = first - wordIndexAt(starts, Math.max(cs, ce - 1));
      if (gap <= c.within) return true;
    }
    if (cs >= end && c.side !== 'before') {
      const gap = wordIndexAt(starts, cs) - last;
      if (gap <= c.within) return true;
    }
    if (m[0].length === 0) c.regex.lastIndex++;
  }
  return false;
}
