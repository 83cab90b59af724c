/**
 * Admin-written regexes run on every keystroke in every page, so a pattern
 * that can backtrack catastrophically must be refused when the pack is
 * compiled, not discovered when a page hangs. JavaScript cannot interrupt a
 * running regex, so the defence is static: refuse nested unbounded
 * quantifiers ("(a+)+", "(\w*\s?)*", except the unambiguous delimited form
 * "(?:[\w-]+\.)+") and back-references, and never hand a regex more than
 * MAX_SEGMENT characters (see text.ts).
 */

export class UnsafeRegexError extends Error {}

const MAX_PATTERN_LENGTH = 2000;

export function assertSafeRegex(source: string): void {
  if (source.length > MAX_PATTERN_LENGTH) throw new UnsafeRegexError(`is longer than ${MAX_PATTERN_LENGTH} characters`);
  // Each open group remembers where it starts and whether an unbounded quantifier occurs inside it.
  const stack: Array<{ start: number; unbounded: boolean }> = [{ start: -1, unbounded: false }];
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
      // V8 (Node 24, Chromium 156) returns wrong results for some patterns with a group that
      // turns a flag on, such as (?i:...), once it compiles them to native code: a rule passed
      // its examples alone and missed them after a few hundred other checks. Refuse them until
      // engines are fixed. Groups that only turn flags off, (?-i:...), were not seen to fail.
      if (/^\(\?[ims]+(?:-[ims]*)?:/.test(source.slice(i)))
        throw new UnsafeRegexError(
          'uses an inline modifier group such as (?i:...), which browsers do not match reliably; write both cases, e.g. [Ll]icen[cs]e, or set caseSensitive: false',
        );
      stack.push({ start: i, unbounded: false });
      continue;
    }
    if (ch === ')') {
      const group = stack.length > 1 ? stack.pop()! : { start: -1, unbounded: false };
      const q = quantifierAt(source, i + 1);
      if (q.unbounded && group.unbounded && !isDelimitedRepeat(source.slice(group.start + 1, i)))
        throw new UnsafeRegexError('repeats a group that itself repeats without limit (nested quantifier), which can hang the page');
      if (group.unbounded || q.unbounded) stack[stack.length - 1]!.unbounded = true;
      continue;
    }
    if (quantifierAt(source, i).unbounded) stack[stack.length - 1]!.unbounded = true;
  }
}

// One character-set atom: \w-style escape, \p{..}, or a [...] class.
const SET_ATOM = String.raw`\\[dDwWsS]|\\[pP]\{[^}]+\}|\[(?:\\.|[^\]\\])*\]`;
// One literal character: an escaped punctuation mark or a plain character.
const LITERAL = String.raw`\\[^\w\s]|[^\\()[\]|*+?{}.^$]`;
const ATOM_THEN_LITERAL = new RegExp(`^(${SET_ATOM})[*+]\\??(${LITERAL})$`);
const LITERAL_THEN_ATOM = new RegExp(`^(${LITERAL})(${SET_ATOM})[*+]\\??$`);

/**
 * The one nested repeat that cannot backtrack badly: every round ends (or
 * starts) with a fixed character the repeated set cannot match, as in
 * hostnames "(?:[\w-]+\.)+" and dotted parts "(?:\.[\w-]+)+". Each round's
 * end is then fixed by that delimiter, so there is only one way to match.
 */
function isDelimitedRepeat(groupBody: string): boolean {
  const body = groupBody.replace(/^\?(?::|<[A-Za-z_$][\w$]*>)/, '');
  if (body === groupBody && groupBody.startsWith('?')) return false; // lookarounds and the like
  const after = ATOM_THEN_LITERAL.exec(body);
  const before = after ? null : LITERAL_THEN_ATOM.exec(body);
  if (!after && !before) return false;
  const [set, literal] = after ? [after[1]!, after[2]!] : [before![2]!, before![1]!];
  const char = literal.length === 2 ? literal[1]! : literal;
  try {
    return !new RegExp(`^(?:${set})$`, 'iu').test(char);
  } catch {
    return false;
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
