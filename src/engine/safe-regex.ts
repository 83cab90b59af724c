/**
 * Admin-written regexes run on every keystroke in every page, so a pattern
 * that can backtrack catastrophically must be refused when the pack is
 * compiled, not discovered when a page hangs. JavaScript cannot interrupt a
 * running regex, so the defence is static: refuse nested unbounded
 * quantifiers ("(a+)+", "(\w*\s?)*") and back-references, and never hand a
 * regex more than MAX_SEGMENT characters (see text.ts).
 */

export class UnsafeRegexError extends Error {}

const MAX_PATTERN_LENGTH = 2000;

export function assertSafeRegex(source: string): void {
  if (source.length > MAX_PATTERN_LENGTH) throw new UnsafeRegexError(`is longer than ${MAX_PATTERN_LENGTH} characters`);
  // Each open group remembers whether an unbounded quantifier occurs inside it.
  const stack: boolean[] = [false];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<'))
        throw new UnsafeRegexError('uses a back-reference, which can make matching very slow');
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      continue;
    }
    if (ch === '(') {
      stack.push(false);
      continue;
    }
    if (ch === ')') {
      const innerUnbounded = stack.pop() ?? false;
      const q = quantifierAt(source, i + 1);
      if (q.unbounded && innerUnbounded)
        throw new UnsafeRegexError('repeats a group that itself repeats without limit (nested quantifier), which can hang the page');
      if (innerUnbounded || q.unbounded) stack[stack.length - 1] = true;
      continue;
    }
    if (quantifierAt(source, i).unbounded) stack[stack.length - 1] = true;
  }
}

function quantifierAt(s: string, i: number): { unbounded: boolean } {
  const ch = s[i];
  if (ch === '*' || ch === '+') return { unbounded: true };
  if (ch === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(i));
    if (m) return { unbounded: m[2] !== undefined && m[3] === '' };
  }
  return { unbounded: false };
}

/** Compiles an admin regex with the engine's flags after the safety check. */
export function compileRegex(source: string, caseSensitive: boolean): RegExp {
  assertSafeRegex(source);
  return new RegExp(source, caseSensitive ? 'gu' : 'giu');
}
