/**
 * Which literal strings must a regex's match contain? A pattern rule's
 * `keywords` are a prefilter: the rule only runs on sentences that contain
 * one of them (compared in keywordForm: lower case, one apostrophe, single
 * spaces). A keyword list is safe when every possible match contains one of
 * its keywords. This module works that out from the regex itself, so the
 * built-in pack's keywords can be proved safe by a test instead of trusted,
 * and suggested for rules that have none.
 *
 * The analysis is conservative: where it cannot be sure (a wide character
 * class, a back-reference, a construct it does not know), it claims nothing.
 * Lookarounds and anchors contribute nothing to the match. It covers the
 * regex syntax of the 'u' flag, which is how the engine compiles patterns.
 */
import { keywordForm } from '../../src/engine/text';

/** What the analysis knows about a piece of regex. All strings are in keywordForm. */
export interface Literals {
  /** Every string the piece can match, when there are few; undefined otherwise. */
  exact?: Set<string>;
  /** Whether the piece can match the empty string. */
  nullable: boolean;
  /** Every non-empty match starts with one of these ('' among them: nothing is promised). */
  prefix: Set<string>;
  /** Every non-empty match ends with one of these. */
  suffix: Set<string>;
  /** Every match contains at least one of these; null when nothing can be promised. */
  must: Set<string> | null;
}

/** Past this many strings an exact set is dropped (the piece is then "many strings"). */
const MAX_EXACT = 256;
/** Past this many characters a class is too wide to enumerate. */
const MAX_CLASS = 16;

type Node =
  | { t: 'chars'; chars: Set<string> | null } // one character from this set (null: too many to list)
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'repeat'; item: Node; min: number; max: number }
  | { t: 'empty' } // anchors, \b, lookarounds: they match no characters
  | { t: 'unknown' }; // back-references

export class RegexSyntaxError extends Error {}

/** The keywordForm of one matched character, under the regex's case rules. */
function imagesOf(ch: string, ignoreCase: boolean): Set<string> {
  if (/^\s$/u.test(ch)) return new Set([' ']);
  const forms = new Set([keywordForm(ch)]);
  if (ignoreCase) {
    // Characters that case-fold to ch under /iu: their keywordForm is what the sentence holds.
    for (const other of foldPartners(ch)) forms.add(keywordForm(other));
  }
  return forms;
}

/** Code points grouped under their upper- and lower-case forms, built on first use. */
let byCase: Map<string, string[]> | undefined;

/** Every other character the regex /ch/iu matches (case folding pairs "s" with "ſ", "k" with the Kelvin sign). */
function foldPartners(ch: string): string[] {
  if (!byCase) {
    byCase = new Map();
    for (let c = 0; c < 0x110000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const s = String.fromCodePoint(c);
      for (const key of new Set([s.toUpperCase(), s.toLowerCase()])) {
        if (key === s) continue;
        const list = byCase.get(key);
        if (list) list.push(s);
        else byCase.set(key, [s]);
      }
    }
  }
  const candidates = new Set([ch.toUpperCase(), ch.toLowerCase(), ch].flatMap((k) => [k, ...(byCase!.get(k) ?? [])]));
  const re = new RegExp(`^${ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')}$`, 'iu');
  return [...candidates].filter((s) => s !== ch && [...s].length === 1 && re.test(s));
}

// ---------------------------------------------------------------- parser

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    /** Changes inside modifier groups such as "(?i:...)". */
    private ignoreCase: boolean,
  ) {}

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
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.quantified(this.atom()));
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
    return { t: 'chars', chars: imagesOf(ch, this.ignoreCase) };
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
        return imagesOf(String.fromCodePoint(parseInt(hex, 16)), this.ignoreCase);
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
        return imagesOf(String.fromCodePoint(cp), this.ignoreCase);
      }
      default:
        if (/[\p{L}\p{N}]/u.test(c)) throw new RegexSyntaxError(`unknown escape \\${c}`);
        return imagesOf(c, this.ignoreCase);
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
        else for (let cp = a; cp <= b; cp++) add(imagesOf(String.fromCodePoint(cp), this.ignoreCase));
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
      return { set: imagesOf(ch, this.ignoreCase), single: ch };
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

// ---------------------------------------------------------------- analysis

/** "a" + "  b" in keywordForm: runs of spaces collapse to one. */
function join(a: string, b: string): string {
  return (a.endsWith(' ') && b.startsWith(' ') ? a + b.slice(1) : a + b).replace(/ {2,}/g, ' ');
}

/** Every x + y, or undefined when there would be too many. */
function product(a: Set<string>, b: Set<string>): Set<string> | undefined {
  if (a.size * b.size > MAX_EXACT) return undefined;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(join(x, y));
  return out;
}

function union(...sets: Set<string>[]): Set<string> {
  const out = new Set<string>();
  for (const set of sets) for (const x of set) out.add(x);
  return out;
}

const NOTHING = (): Set<string> => new Set(['']);

/** A prefix or suffix set that grew too large promises nothing. */
function capped(set: Set<string>): Set<string> {
  return set.size > MAX_EXACT ? NOTHING() : set;
}

/** Drops strings that contain another member: a sentence holding "abc" holds "b" too. */
function minimal(set: Set<string>): Set<string> {
  const items = [...set].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const s of items) if (!kept.some((k) => s.includes(k))) kept.push(s);
  return new Set(kept);
}

/**
 * How selective a keyword set is: the more letters and digits its shortest
 * keyword has the better (a one-letter keyword is in nearly every sentence),
 * then the longer its shortest keyword with punctuation (".lan" over "lan"),
 * then the fewer keywords.
 */
function score(set: Set<string> | null): number {
  if (!set || set.size === 0) return -Infinity;
  let letters = Infinity;
  let chars = Infinity;
  for (const s of set) {
    letters = Math.min(letters, s.replace(/[^\p{L}\p{N}]/gu, '').length);
    chars = Math.min(chars, s.length);
  }
  return letters * 1e6 + chars * 1e3 - set.size;
}

function better(a: Set<string> | null, b: Set<string> | null): Set<string> | null {
  return score(b) > score(a) ? b : a;
}

/** A set every match contains one of, if it promises anything (no '' in it). */
function asMust(set: Set<string> | undefined): Set<string> | null {
  return set && set.size && !set.has('') ? minimal(set) : null;
}

/** The non-empty strings of an exact set: what its non-empty matches start and end with. */
function nonEmpty(exact: Set<string>): Set<string> {
  return new Set([...exact].filter((x) => x !== ''));
}

const analysed = new WeakMap<Node, Literals>();

/** The analysis of one node, memoised (covers() asks about the same nodes many times). */
function analyse(n: Node): Literals {
  let result = analysed.get(n);
  if (!result) analysed.set(n, (result = analyseNode(n)));
  return result;
}

/** What every non-empty match of parts[from..to) starts with (no parts: no such match, the empty set). */
function prefixOf(parts: Literals[], from: number, to: number): Set<string> {
  if (from >= to) return new Set();
  const p = parts[from]!;
  const restNullable = parts.slice(from + 1, to).every((q) => q.nullable);
  if (!p.exact) return p.nullable ? capped(union(p.prefix, prefixOf(parts, from + 1, to))) : p.prefix;
  // A piece with few strings: they run on into what follows.
  const rest = prefixOf(parts, from + 1, to);
  const joined = product(p.exact, rest);
  if (!joined) return p.exact.has('') ? NOTHING() : p.exact;
  return capped(restNullable ? union(joined, nonEmpty(p.exact)) : joined);
}

/** What every non-empty match of parts[from..to) ends with. */
function suffixOf(parts: Literals[], from: number, to: number): Set<string> {
  if (from >= to) return new Set();
  const p = parts[to - 1]!;
  const restNullable = parts.slice(from, to - 1).every((q) => q.nullable);
  if (!p.exact) return p.nullable ? capped(union(p.suffix, suffixOf(parts, from, to - 1))) : p.suffix;
  const rest = suffixOf(parts, from, to - 1);
  const joined = product(rest, p.exact);
  if (!joined) return p.exact.has('') ? NOTHING() : p.exact;
  return capped(restNullable ? union(joined, nonEmpty(p.exact)) : joined);
}

/**
 * The literal sets a sequence offers, each a valid must set: neighbouring
 * pieces with few possible strings joined ("we" + " " + "will"), and what
 * the left part must end with joined to what the right part must start
 * with ("(?:[a-z]+\.){2}" + "local" gives ".local").
 */
function sequenceCandidates(parts: Literals[]): Set<string>[] {
  const out: Set<string>[] = [];
  for (let a = 0; a < parts.length; a++) {
    let run = parts[a]!.exact;
    for (let b = a + 1; run && b < parts.length; b++) {
      const next = parts[b]!.exact;
      run = next ? product(run, next) : undefined;
      const must = asMust(run);
      if (must) out.push(must);
    }
  }
  for (let k = 1; k < parts.length; k++) {
    const leftNullable = parts.slice(0, k).every((q) => q.nullable);
    const rightNullable = parts.slice(k).every((q) => q.nullable);
    if (leftNullable && rightNullable) continue;
    const left = suffixOf(parts, 0, k);
    const right = prefixOf(parts, k, parts.length);
    const joined = product(left, right);
    if (!joined) continue;
    // Where one side may be empty, the match is the other side alone.
    const must = asMust(union(joined, leftNullable ? right : new Set(), rightNullable ? left : new Set()));
    if (must) out.push(must);
  }
  return out;
}

function analyseNode(n: Node): Literals {
  switch (n.t) {
    case 'empty':
      return { exact: NOTHING(), nullable: true, prefix: NOTHING(), suffix: NOTHING(), must: null };
    case 'unknown':
      return { nullable: true, prefix: NOTHING(), suffix: NOTHING(), must: null };
    case 'chars':
      return n.chars
        ? { exact: new Set(n.chars), nullable: false, prefix: new Set(n.chars), suffix: new Set(n.chars), must: asMust(n.chars) }
        : { nullable: false, prefix: NOTHING(), suffix: NOTHING(), must: null };
    case 'alt': {
      const parts = n.items.map(analyse);
      const exact = parts.every((p) => p.exact) ? union(...parts.map((p) => p.exact!)) : undefined;
      const ends = (pick: (p: Literals) => Set<string>): Set<string> =>
        capped(union(...parts.map((p) => (p.exact ? nonEmpty(p.exact) : pick(p)))));
      let must: Set<string> | null = new Set();
      for (const p of parts) {
        const best = better(p.must, asMust(p.exact));
        must = best && must ? union(must, best) : null;
      }
      return {
        exact: exact && exact.size <= MAX_EXACT ? exact : undefined,
        nullable: parts.some((p) => p.nullable),
        prefix: ends((p) => p.prefix),
        suffix: ends((p) => p.suffix),
        must: must && minimal(must),
      };
    }
    case 'repeat': {
      const inner = analyse(n.item);
      const nullable = n.min === 0 || inner.nullable;
      let exact: Set<string> | undefined;
      if (inner.exact) {
        if (inner.exact.size === 1 && inner.exact.has(' ')) {
          // Spaces collapse: any number of them is one.
          exact = new Set(n.min === 0 ? ['', ' '] : [' ']);
        } else if (n.max !== Infinity) {
          exact = new Set(n.min === 0 ? [''] : []);
          let power: Set<string> | undefined = NOTHING();
          for (let k = 1; k <= n.max && power; k++) {
            power = product(power, inner.exact);
            if (power && k >= n.min) for (const x of power) exact.add(x);
            if (exact.size > MAX_EXACT) power = undefined;
          }
          if (!power) exact = undefined;
        }
      }
      // A non-empty match starts with a non-empty round and ends with one.
      const prefix = inner.exact ? nonEmpty(inner.exact) : inner.prefix;
      const suffix = inner.exact ? nonEmpty(inner.exact) : inner.suffix;
      if (exact) return { exact, nullable, prefix: nonEmpty(exact), suffix: nonEmpty(exact), must: asMust(exact) };
      // With at least one round, whatever one round promises is promised.
      const must = n.min === 0 ? null : better(inner.must, asMust(inner.exact));
      return { nullable, prefix: prefix.size ? prefix : NOTHING(), suffix: suffix.size ? suffix : NOTHING(), must };
    }
    case 'seq': {
      const parts = n.items.map(analyse);
      let must: Set<string> | null = null;
      for (const p of parts) must = better(must, better(p.must, asMust(p.exact)));
      for (const c of sequenceCandidates(parts)) must = better(must, c);
      let exact: Set<string> | undefined = NOTHING();
      for (const p of parts) exact = exact && p.exact ? product(exact, p.exact) : undefined;
      return {
        exact,
        nullable: parts.every((p) => p.nullable),
        prefix: prefixOf(parts, 0, parts.length),
        suffix: suffixOf(parts, 0, parts.length),
        must,
      };
    }
  }
}

function parseSource(source: string, ignoreCase: boolean): Node {
  return new Parser(source, ignoreCase).parse();
}

/** What the analysis knows about a whole regex; `must` is what a keyword list could be. */
export function requiredLiterals(source: string, ignoreCase = true): Literals {
  const result = analyse(parseSource(source, ignoreCase));
  return { ...result, must: better(result.must, asMust(result.exact)) };
}

/** A keyword set for a rule with several regexes: each regex must promise something. */
export function requiredLiteralsOfAll(sources: string[], ignoreCase = true): Set<string> | null {
  const out = new Set<string>();
  for (const src of sources) {
    const { must } = requiredLiterals(src, ignoreCase);
    if (!must) return null;
    for (const s of must) out.add(s);
  }
  return minimal(out);
}

/**
 * True when every match of the node contains a string for which `has` is
 * true. Tries every way the regex offers: a piece of a sequence that is
 * covered on its own, a run of neighbouring pieces whose few possible
 * strings all are, or all branches of an alternation.
 */
function covers(n: Node, has: (s: string) => boolean): boolean {
  const allHave = (set: Set<string> | null | undefined): boolean => !!set && set.size > 0 && !set.has('') && [...set].every(has);
  if (allHave(analyse(n).exact)) return true;
  switch (n.t) {
    case 'alt':
      return n.items.every((item) => covers(item, has));
    case 'repeat':
      return n.min >= 1 && covers(n.item, has);
    case 'seq':
      return n.items.some((item) => covers(item, has)) || sequenceCandidates(n.items.map(analyse)).some(allHave);
    default:
      return false;
  }
}

/**
 * Is a keyword list safe for these regexes, i.e. does every possible match
 * contain one of the keywords (in keywordForm)? Returns [] when that is
 * proved; otherwise the literals a match must contain that no keyword
 * covers (a hint at what is missing), or null when the regexes promise
 * nothing the proof could use.
 */
export function uncoveredLiterals(sources: string[], keywords: string[], ignoreCase = true): string[] | null {
  const forms = keywords.map(keywordForm);
  const has = (s: string): boolean => forms.some((k) => s.includes(k));
  const unproved = sources.filter((src) => !covers(parseSource(src, ignoreCase), has));
  if (!unproved.length) return [];
  const must = requiredLiteralsOfAll(unproved, ignoreCase);
  return must && [...must].filter((l) => !has(l));
}
