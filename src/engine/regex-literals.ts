/**
 * What literal text must a regex's match contain? The analysis behind two
 * speed-ups that must never change a result: pattern rules skip each of their
 * regexes on sentences that lack what every match of it holds (rules/pattern.ts),
 * and scripts/lib/required-literals.ts proves pack authors' `keywords` safe.
 *
 * Strings are in keywordForm (text.ts): lower case, one apostrophe, single
 * spaces, and a sentence is tested in the same form. The analysis is
 * conservative: a wide class, a back-reference, a letter whose case folding it
 * cannot be sure of, or anything it does not know promises nothing.
 * Lookarounds and anchors add nothing to a match. It reads the regex syntax of
 * the 'u' flag, which is how the engine compiles patterns, including (?i:...).
 */
import { keywordForm } from './text';

export type Node =
  | { t: 'chars'; chars: Set<string> | null } // one character from this set (null: too many to list)
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'repeat'; item: Node; min: number; max: number }
  | { t: 'empty' } // anchors, \b, lookarounds: they match no characters
  | { t: 'unknown' }; // back-references

/** Past this many characters a class is too wide to list. */
const MAX_CLASS = 16;

export class RegexSyntaxError extends Error {}

/** The keywordForm of each character a regex character (or class member) can match; null when unsure. */
export type CharImages = (ch: string, ignoreCase: boolean) => Set<string> | null;

const PUNCTUATION_OR_SYMBOL = /^[\p{P}\p{S}\p{Z}\p{N}]$/u;

/**
 * The engine's images, safe without a table of Unicode case folding. ASCII
 * is exact: the only other characters /iu matches for an ASCII letter are the
 * long s and the Kelvin sign, and keywordForm turns them into "s" and "k".
 * Outside ASCII, without the i flag a character matches only itself; with
 * it, only characters that have no case at all are certain.
 */
export const engineImages: CharImages = (ch, ignoreCase) => {
  const form = charForm(ch);
  if (form === ' ' || ch.charCodeAt(0) < 128 || !ignoreCase) return new Set([form]);
  if (ch.toLowerCase() === ch && ch.toUpperCase() === ch && PUNCTUATION_OR_SYMBOL.test(ch)) return new Set([form]);
  return null;
};

const charForms = new Map<string, string>();

/** keywordForm of a single character (cached: a pack has a few hundred thousand of them). */
export function charForm(ch: string): string {
  let form = charForms.get(ch);
  if (form === undefined) charForms.set(ch, (form = /^\s$/u.test(ch) ? ' ' : keywordForm(ch)));
  return form;
}

/** "a" + " b" in keywordForm: runs of spaces collapse to one. */
export function join(a: string, b: string): string {
  const joined = a.endsWith(' ') && b.startsWith(' ') ? a + b.slice(1) : a + b;
  return joined.includes('  ') ? joined.replace(/ {2,}/g, ' ') : joined;
}

// ---------------------------------------------------------------- parser

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    /** Changes inside modifier groups such as "(?i:...)". */
    private ignoreCase: boolean,
    private readonly images: CharImages,
  ) {}

  private imagesOf(ch: string, ignoreCase: boolean): Set<string> | null {
    return this.images(ch, ignoreCase);
  }

  parse(): Node {
    const n = this.disjunction();
    if (this.i < this.src.length) throw new RegexSyntaxError(`unexpected "${this.src[this.i]}" at ${this.i}`);
    return n;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private disjunction(): Node {
    const items = [this.alternative()];
    while (this.peek() === '|') {
      this.i++;
      items.push(this.alternative());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  private alternative(): Node {
    const items: Node[] = [];
    // Neighbouring plain characters become one literal ("refund" is one piece, not six): the
    // analysis of a sequence grows with the square of its length.
    let literal: string | undefined;
    const flush = (): void => {
      if (literal !== undefined) items.push({ t: 'chars', chars: new Set([literal]) });
      literal = undefined;
    };
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const item = this.quantified(this.atom());
      if (item.t === 'chars' && item.chars?.size === 1) {
        const [one] = item.chars;
        literal = literal === undefined ? one! : join(literal, one!);
        continue;
      }
      flush();
      items.push(item);
    }
    flush();
    return { t: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) throw new RegexSyntaxError(`bad quantifier at ${this.i}`);
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.peek() === '?') this.i++; // lazy: same strings
    return { t: 'repeat', item: atom, min, max };
  }

  private atom(): Node {
    const c = this.src[this.i++]!;
    switch (c) {
      case '^':
      case '$':
        return { t: 'empty' };
      case '.':
        return { t: 'chars', chars: null };
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
      case '{':
      case ')':
        throw new RegexSyntaxError(`unexpected "${c}" at ${this.i - 1}`);
      default: {
        const cp = this.src.codePointAt(this.i - 1)!;
        if (cp > 0xffff) this.i++;
        return this.literal(String.fromCodePoint(cp));
      }
    }
  }

  private literal(ch: string): Node {
    return { t: 'chars', chars: this.imagesOf(ch, this.ignoreCase) };
  }

  private group(): Node {
    let lookaround = false;
    if (this.src.startsWith('?:', this.i)) this.i += 2;
    else if (/^\?<?[=!]/.test(this.src.slice(this.i, this.i + 3))) {
      lookaround = true;
      this.i += this.src[this.i + 1] === '<' ? 3 : 2;
    } else if (this.src.startsWith('?<', this.i)) {
      const end = this.src.indexOf('>', this.i);
      if (end < 0) throw new RegexSyntaxError('unterminated group name');
      this.i = end + 1;
    } else if (this.peek() === '?') {
      // Modifiers: "(?i:...)" turns case-insensitivity on inside the group, "(?-i:...)" off.
      const m = /^\?([ims]*)(?:-([ims]*))?:/.exec(this.src.slice(this.i));
      if (!m) throw new RegexSyntaxError(`unsupported group at ${this.i}`);
      this.i += m[0].length;
      const outer = this.ignoreCase;
      if (m[1]!.includes('i')) this.ignoreCase = true;
      if (m[2]?.includes('i')) this.ignoreCase = false;
      const body = this.disjunction();
      this.ignoreCase = outer;
      if (this.src[this.i++] !== ')') throw new RegexSyntaxError('missing )');
      return body;
    }
    const body = this.disjunction();
    if (this.src[this.i++] !== ')') throw new RegexSyntaxError('missing )');
    // A lookaround's text is outside the match: it promises nothing about it.
    return lookaround ? { t: 'empty' } : body;
  }

  /** An escape outside a class. */
  private escape(): Node {
    const c = this.src[this.i++]!;
    if (c === 'b' || c === 'B') return { t: 'empty' };
    if (/[1-9]/.test(c) || c === 'k') return { t: 'unknown' };
    const chars = this.escapeChars(c);
    return { t: 'chars', chars };
  }

  /** The characters an escape stands for (shared by classes and atoms); null when too many. */
  private escapeChars(c: string): Set<string> | null {
    switch (c) {
      case 'd':
        return new Set('0123456789');
      case 's':
        return new Set([' ']);
      case 'D':
      case 'w':
      case 'W':
      case 'S':
        return null;
      case 'p':
      case 'P': {
        const end = this.src.indexOf('}', this.i);
        if (this.peek() !== '{' || end < 0) throw new RegexSyntaxError('bad \\p');
        this.i = end + 1;
        return null;
      }
      case 'n':
      case 'r':
      case 't':
      case 'f':
      case 'v':
        return new Set([' ']);
      case '0':
        return new Set(['\0']);
      case 'c':
        this.i++;
        return null;
      case 'x': {
        const hex = this.src.slice(this.i, this.i + 2);
        this.i += 2;
        return this.imagesOf(String.fromCodePoint(parseInt(hex, 16)), this.ignoreCase);
      }
      case 'u': {
        let cp: number;
        if (this.peek() === '{') {
          const end = this.src.indexOf('}', this.i);
          cp = parseInt(this.src.slice(this.i + 1, end), 16);
          this.i = end + 1;
        } else {
          cp = parseInt(this.src.slice(this.i, this.i + 4), 16);
          this.i += 4;
        }
        return this.imagesOf(String.fromCodePoint(cp), this.ignoreCase);
      }
      default:
        if (/[\p{L}\p{N}]/u.test(c)) throw new RegexSyntaxError(`unknown escape \\${c}`);
        return this.imagesOf(c, this.ignoreCase);
    }
  }

  private charClass(): Node {
    const negated = this.peek() === '^';
    if (negated) this.i++;
    let chars: Set<string> | null = new Set();
    const add = (set: Set<string> | null): void => {
      if (!set || !chars) chars = null;
      else for (const x of set) chars.add(x);
    };
    while (this.peek() !== ']') {
      if (this.i >= this.src.length) throw new RegexSyntaxError('missing ]');
      const from = this.classAtom();
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && from.single !== undefined) {
        this.i++;
        const to = this.classAtom();
        if (to.single === undefined) throw new RegexSyntaxError('bad range');
        const a = from.single.codePointAt(0)!;
        const b = to.single.codePointAt(0)!;
        if (b - a + 1 > MAX_CLASS) add(null);
        else for (let cp = a; cp <= b; cp++) add(this.imagesOf(String.fromCodePoint(cp), this.ignoreCase));
      } else add(from.set);
    }
    this.i++;
    if (negated) return { t: 'chars', chars: null };
    return { t: 'chars', chars: chars && (chars as Set<string>).size <= MAX_CLASS ? chars : null };
  }

  /** One class member: its character set, and the character itself when it can start a range. */
  private classAtom(): { set: Set<string> | null; single?: string } {
    const c = this.src[this.i++]!;
    if (c !== '\\') {
      const cp = this.src.codePointAt(this.i - 1)!;
      if (cp > 0xffff) this.i++;
      const ch = String.fromCodePoint(cp);
      return { set: this.imagesOf(ch, this.ignoreCase), single: ch };
    }
    const e = this.src[this.i++]!;
    if (e === 'b') return { set: new Set(['\b']), single: '\b' };
    if (e === '-') return { set: new Set(['-']), single: '-' };
    const start = this.i;
    const set = this.escapeChars(e);
    let single: string | undefined;
    if (e === 'u' || e === 'x') {
      const hex = e === 'x' ? this.src.slice(start, start + 2) : this.src.slice(start, this.i).replace(/[{}]/g, '');
      single = String.fromCodePoint(parseInt(hex, 16));
    } else if (!/[dDwWsSpPnrtfv0c]/.test(e)) single = e;
    return { set, single };
  }
}

/** Parses a regex source (as compiled with the 'u' flag, plus 'i' unless case-sensitive). */
export function parseRegex(source: string, ignoreCase: boolean, images: CharImages = engineImages): Node {
  return new Parser(source, ignoreCase, images).parse();
}

// ---------------------------------------------------------------- gate literals

/** Letters and digits in a literal: "'s" is a poor keyword, "refund" a good one. */
function letters(s: string): number {
  return s.replace(/[^\p{L}\p{N}]/gu, '').length;
}

/** The more telling of two literal sets: the longer its shortest literal (in letters), then the fewer literals. */
function better(a: string[] | null, b: string[] | null): string[] | null {
  if (!b) return a;
  if (!a) return b;
  const la = Math.min(...a.map(letters));
  const lb = Math.min(...b.map(letters));
  return lb > la || (lb === la && b.length < a.length) ? b : a;
}

function gate(n: Node, cap: number): string[] | null {
  switch (n.t) {
    case 'chars':
      return n.chars && n.chars.size <= cap && !n.chars.has('') ? [...n.chars] : null;
    case 'alt': {
      const out = new Set<string>();
      for (const item of n.items) {
        const g = gate(item, cap);
        if (!g) return null;
        for (const s of g) out.add(s);
        if (out.size > cap) return null;
      }
      return [...out];
    }
    case 'repeat':
      return n.min >= 1 ? gate(n.item, cap) : null;
    case 'seq': {
      let best: string[] | null = null;
      for (const item of n.items) best = better(best, gate(item, cap));
      return best;
    }
    default:
      return null;
  }
}

/**
 * At most `cap` literals, one of which every match of `source` contains (in
 * keywordForm), or null. A deliberately simple, linear analysis (the literal
 * runs of one piece of the sequence, or of every branch of an alternation),
 * cheap enough to run on every pattern when a pack is compiled.
 */
export function gateLiterals(source: string, ignoreCase: boolean, cap = 12): string[] | null {
  let tree: Node;
  try {
    tree = parseRegex(source, ignoreCase);
  } catch {
    return null; // syntax the analysis does not read: no gate, the regex always runs
  }
  const g = gate(tree, cap);
  return g && g.every((s) => letters(s) > 0 || s.trim()) ? g : null;
}

/** Gate sets of every required piece of a sequence (a repeat of at least one counts; an alternation is one set). */
function gateSetsOf(n: Node, cap: number): string[][] {
  if (n.t === 'seq') return n.items.flatMap((item) => gateSetsOf(item, cap));
  if (n.t === 'repeat') return n.min >= 1 ? gateSetsOf(n.item, cap) : [];
  const g = gate(n, cap);
  return g ? [g] : [];
}

/**
 * Literal sets every match of `source` holds one of EACH of (in keywordForm): one set per
 * piece of the regex's top-level sequence that promises something, so "we will ... refund"
 * asks for "we", "will" and "refund" where gateLiterals asks only for "refund". A sentence
 * that lacks every literal of any one set cannot match. [] when nothing is promised.
 */
export function gateSets(source: string, ignoreCase: boolean, cap = 12): string[][] {
  let tree: Node;
  try {
    tree = parseRegex(source, ignoreCase);
  } catch {
    return []; // syntax the analysis does not read: no gate, the regex always runs
  }
  const seen = new Set<string>();
  return gateSetsOf(tree, cap).filter((g) => {
    // A set holding a bare space (or other letterless blank) is in nearly every sentence: no use.
    if (!g.every((l) => letters(l) > 0 || l.trim())) return false;
    const key = [...g].sort().join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
