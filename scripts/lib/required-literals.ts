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
 * Lookarounds and anchors contribute nothing to the match. It reads regexes
 * with the engine's parser (src/engine/regex-literals.ts), here with exact
 * Unicode case folding, and goes further than the engine's quick per-regex
 * analysis: literals joined across pieces, prefixes and suffixes, proofs.
 */
import { join, parseRegex, type CharImages, type Node } from '../../src/engine/regex-literals';
import { keywordForm } from '../../src/engine/text';

export { RegexSyntaxError } from '../../src/engine/regex-literals';

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

/**
 * The keywordForm of each character a regex character can match, under the
 * regex's case rules: exact, using every Unicode case-folding partner (found
 * by trying all code points once), so proofs are as sharp as possible.
 */
const exactImages: CharImages = (ch, ignoreCase) => {
  if (/^\s$/u.test(ch)) return new Set([' ']);
  const forms = new Set([keywordForm(ch)]);
  if (ignoreCase) {
    // Characters that case-fold to ch under /iu: their keywordForm is what the sentence holds.
    for (const other of foldPartners(ch)) forms.add(keywordForm(other));
  }
  return forms;
};

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

// ---------------------------------------------------------------- analysis

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
  return parseRegex(source, ignoreCase, exactImages);
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
