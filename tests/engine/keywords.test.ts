/**
 * Pattern rules' `keywords` decide which sentences a rule runs on, so a
 * keyword list that misses a possible match silently hides findings. These
 * tests check the analysis that proves keyword lists safe
 * (scripts/lib/required-literals.ts) against the real RegExp engine, then
 * use it to prove every built-in pattern rule's keywords.
 */
import { describe, expect, it } from 'vitest';
import { requiredLiterals, uncoveredLiterals } from '../../scripts/lib/required-literals';
import { gateLiterals, gateSets } from '../../src/engine/regex-literals';
import { compileTerm } from '../../src/engine/rules/phrase';
import type { PatternRule, PhraseRule, Rule } from '../../src/engine/schema';
import { keywordForm } from '../../src/engine/text';
import { check } from '../../src/engine';
import { loadPackSource } from '../../src/packs/source';
import { pack, rule } from './pack-fixture';
import { seededRandom } from '../../scripts/lib/seeded-random';

const mustOf = (src: string): string[] | null => {
  const m = requiredLiterals(src).must;
  return m && [...m].sort();
};

describe('requiredLiterals', () => {
  it('joins neighbouring literals and collapses runs of spaces', () => {
    expect(mustOf(String.raw`\bwe\s+will\s+refund`)).toEqual(['we will refund']);
    expect(mustOf(String.raw`(?:we|I)['’]ll\s+pay`)).toEqual(["i'll pay", "we'll pay"]);
  });

  it('lets every branch of an alternation contribute and ignores lookarounds and anchors', () => {
    expect(mustOf(String.raw`(?<![\p{L}])(?:cat|dog)s?(?=\s)`)).toEqual(['cat', 'dog']);
    expect(mustOf(String.raw`^(?:yes|no)$`)).toEqual(['no', 'yes']);
  });

  it('promises nothing for a piece that may be absent or too wide to list', () => {
    expect(mustOf(String.raw`(?:refund)?\w+`)).toBeNull();
    expect(mustOf(String.raw`[a-z]+@[a-z]+`)).toEqual(['@']);
    expect(mustOf(String.raw`\w+(?:x|\1)`)).toBeNull();
  });

  it('carries what a repeated group ends with into what follows', () => {
    // "(?:[a-z0-9]+\.){2,6}local" always has ".local", though the repeat itself has too many strings to list.
    expect(mustOf(String.raw`(?:[a-z0-9]+\.){2,6}(?:local|lan)`)).toEqual(['.lan', '.local']);
    expect(uncoveredLiterals([String.raw`(?<!\d)10(?:\.\d{1,3}){3}`], ['10.'])).toEqual([]);
  });

  it('treats digits as a small class: a number pattern needs a digit', () => {
    expect(mustOf(String.raw`(?<!\d)\d{2}-\d{2}-\d{2}`)?.length).toBe(100);
    expect(uncoveredLiterals([String.raw`(?<!\d)\d{2}-\d{2}-\d{2}`], [...'0123456789'])).toEqual([]);
  });

  it('follows case-insensitivity, including the (?i:) modifier and the long s that /iu matches for "s"', () => {
    expect(mustOf(String.raw`(?-i:Mr)\s[A-Z]`)).toEqual(['mr ']);
    expect(requiredLiterals('(?i:STOP)', false).must).toEqual(new Set(['stop']));
    expect(uncoveredLiterals(['stop'], ['stop'])).toEqual([]);
    expect(new RegExp('stop', 'iu').test('ſtop')).toBe(true);
    expect(keywordForm('ſtop')).toBe('stop');
  });

  it('proves a keyword list only when every match contains a keyword', () => {
    const src = String.raw`\b(?:will|['’]ll)\s+(?:definitely\s+)?(?:refund|repay)\b`;
    expect(uncoveredLiterals([src], ['refund', 'repay'])).toEqual([]);
    expect(uncoveredLiterals([src], ['will', "'ll"])).toEqual([]);
    expect(uncoveredLiterals([src], ['ll refund', 'll repay'])).not.toEqual([]); // "will definitely refund"
    // What is left uncovered is named, as a hint at the missing keyword.
    const uncovered = uncoveredLiterals([src], ['refund']);
    expect(uncovered?.length).toBeGreaterThan(0);
    expect(uncovered?.every((l) => l.includes('repay'))).toBe(true);
  });
});

describe('gateLiterals (the engine\'s per-regex prefilter)', () => {
  it('finds a few literals every match holds, or none', () => {
    expect(gateLiterals(String.raw`(?<![\p{L}])we\s+(?:will|shall)\s+refund`, true)).toEqual(['refund']);
    expect(gateLiterals(String.raw`\b(?:cat|dog)s?\b`, true)?.sort()).toEqual(['cat', 'dog']);
    expect(gateLiterals(String.raw`\w+@\w+`, true)).toEqual(['@']);
    expect(gateLiterals(String.raw`[a-z]+\d?`, true)).toBeNull();
  });

  it('claims nothing for letters whose case folding it cannot be sure of, unless the regex is case-sensitive', () => {
    expect(gateLiterals('café', true)).toEqual(['caf']);
    expect(gateLiterals('é', true)).toBeNull();
    expect(gateLiterals('é', false)).toEqual(['é']);
    expect(gateLiterals('ſtop', true)).toEqual(['top']); // the long s itself is left out, not guessed
  });

  it('gives up on syntax it does not read rather than guess', () => {
    expect(gateLiterals('(?<name', true)).toBeNull();
    expect(gateSets('(?<name', true)).toEqual([]);
  });

  it('gateSets: one literal set per required piece of the sequence', () => {
    expect(gateSets(String.raw`(?<![\p{L}])we\s+(?:will|shall)\s+refund`, true)).toEqual([['we'], ['will', 'shall'], ['refund']]);
    // Optional pieces promise nothing; a repeat of at least one does; bare spaces are no use.
    expect(gateSets(String.raw`(?:very\s+)?(?:good\s+)+news`, true)).toEqual([['good'], ['news']]);
    expect(gateSets(String.raw`[a-z]+\d?`, true)).toEqual([]);
  });
});

describe('pattern rules with several regexes', () => {
  it('skip the regexes whose literals a sentence lacks, with the same findings', () => {
    const p = pack([
      rule({
        id: 'promise',
        kind: 'pattern',
        pattern: [String.raw`\bwe(?:['’]ll|\s+will)\s+refund\b`, String.raw`\bmoney\s+back\b`, String.raw`\b\d{3}-\d{4}\b`, String.raw`\b(?:asap|fyi)\b`],
      }),
    ]);
    const texts = ['We’ll refund you.', 'We  WILL REFUND and you get your money back ASAP, call 555-0101.', 'Nothing here.', 'ſtill we will refund'];
    for (const text of texts) expect(check(p, text, { cache: false }), text).toEqual(check(p, text, { cache: false, prefilter: false }));
    expect(check(p, 'We will refund and get your money back.', { cache: false }).map((f) => f.excerpt)).toEqual(['We will refund', 'money back']);
  });
});

// ---------------------------------------------------------------- random regexes against the real engine


interface Gen {
  src: string;
  /** A string the regex should match (checked against the real RegExp before use). */
  sample(rand: () => number, ignoreCase: boolean): string;
}

const LETTERS = ['a', 'b', 'k', 's', 'o'];
const pick = <T,>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** Spellings of one letter that /iu matches: either case, and the long s and Kelvin sign. */
function spellings(ch: string, ignoreCase: boolean): string[] {
  if (!ignoreCase) return [ch];
  return [ch, ch.toUpperCase(), ...(ch === 's' ? ['ſ'] : []), ...(ch === 'k' ? ['\u212a'] : [])];
}

function randomRegex(rand: () => number, depth: number): Gen {
  const r = rand();
  if (depth <= 0 || r < 0.3) return randomAtom(rand);
  if (r < 0.55) {
    const items = Array.from({ length: 2 + Math.floor(rand() * 3) }, () => randomRegex(rand, depth - 1));
    return { src: items.map((g) => g.src).join(''), sample: (rd, ic) => items.map((g) => g.sample(rd, ic)).join('') };
  }
  if (r < 0.7) {
    const items = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => randomRegex(rand, depth - 1));
    return { src: `(?:${items.map((g) => g.src).join('|')})`, sample: (rd, ic) => pick(rd, items).sample(rd, ic) };
  }
  if (r < 0.85) {
    const inner = randomRegex(rand, depth - 1);
    const [q, min, max] = pick(rand, [
      ['?', 0, 1],
      ['*', 0, 3],
      ['+', 1, 3],
      ['{2}', 2, 2],
      ['{1,3}', 1, 3],
      ['{0,2}', 0, 2],
      ['{2,}', 2, 4],
    ] as const);
    return {
      src: `(?:${inner.src})${q}`,
      sample: (rd, ic) => Array.from({ length: min + Math.floor(rd() * (max - min + 1)) }, () => inner.sample(rd, ic)).join(''),
    };
  }
  if (r < 0.92) {
    const inner = randomRegex(rand, depth - 1);
    const flag = rand() < 0.5 ? 'i' : '-i';
    return { src: `(?${flag}:${inner.src})`, sample: (rd) => inner.sample(rd, flag === 'i') };
  }
  const inner = randomRegex(rand, depth - 1);
  const look = pick(rand, ['(?=', '(?!', '(?<=', '(?<!']);
  return { src: `${look}${inner.src})`, sample: () => '' };
}

function randomAtom(rand: () => number): Gen {
  const letter = pick(rand, LETTERS);
  const kinds: Gen[] = [
    { src: letter, sample: (rd, ic) => pick(rd, spellings(letter, ic)) },
    { src: ' ', sample: () => ' ' },
    { src: String.raw`\s`, sample: (rd) => pick(rd, [' ', '\t', '\u00a0']) },
    { src: `['’]`, sample: (rd) => pick(rd, ["'", '’']) },
    { src: String.raw`\d`, sample: (rd) => String(Math.floor(rd() * 10)) },
    { src: '[abk]', sample: (rd, ic) => pick(rd, spellings(pick(rd, ['a', 'b', 'k']), ic)) },
    { src: '[^a]', sample: (rd) => pick(rd, ['b', 'o', '1', ' ', 'é']) },
    { src: String.raw`\w`, sample: (rd) => pick(rd, ['a', 'Z', '_', '7']) },
    { src: '.', sample: (rd) => pick(rd, ['a', '.', ' ', '’']) },
    { src: String.raw`\b`, sample: () => '' },
    { src: '^', sample: () => '' },
  ];
  return pick(rand, kinds);
}

describe('requiredLiterals on random regexes', () => {
  it('never promises more than the real RegExp delivers', () => {
    const rand = seededRandom(20261126);
    let checked = 0;
    for (let n = 0; n < 400; n++) {
      const gen = randomRegex(rand, 4);
      const ignoreCase = rand() < 0.7;
      const re = new RegExp(`^(?:${gen.src})$`, ignoreCase ? 'iu' : 'u');
      const info = requiredLiterals(gen.src, ignoreCase);
      // The engine's own, simpler analysis (pattern rules skip regexes with it) must hold too.
      const gate = gateLiterals(gen.src, ignoreCase);
      const sets = gateSets(gen.src, ignoreCase);
      // Keyword lists to test the proof with: parts of what the analysis found, and short strings.
      const lists = [[...(info.must ?? [])].map((m) => m.slice(0, 2)), ['a', 'b'], ['s', ' '], [...(info.prefix ?? [])]];
      const proved = lists.filter((kws) => kws.length && uncoveredLiterals([gen.src], kws, ignoreCase)?.length === 0);
      for (let k = 0; k < 40; k++) {
        const text = gen.sample(rand, ignoreCase);
        if (!re.test(text)) continue; // a lookaround or anchor the sample did not honour
        checked++;
        const form = keywordForm(text);
        const where = `regex /${gen.src}/${ignoreCase ? 'i' : ''} on ${JSON.stringify(text)}`;
        if (info.exact) expect(info.exact.has(form), where).toBe(true);
        if (info.must) expect([...info.must].some((m) => form.includes(m)), where).toBe(true);
        if (gate) expect(gate.some((m) => form.includes(m)), `gate ${JSON.stringify(gate)}, ${where}`).toBe(true);
        for (const set of sets) expect(set.some((m) => form.includes(m)), `gate set ${JSON.stringify(set)}, ${where}`).toBe(true);
        if (!info.nullable) expect(text, where).not.toBe('');
        if (text) {
          expect([...info.prefix].some((p) => form.startsWith(p)), `prefix, ${where}`).toBe(true);
          expect([...info.suffix].some((s) => form.endsWith(s)), `suffix, ${where}`).toBe(true);
        }
        for (const kws of proved) expect(kws.some((k) => form.includes(k)), `keywords ${JSON.stringify(kws)}, ${where}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });
});

// ---------------------------------------------------------------- the built-in pack

const builtin = loadPackSource('rules/builtin') as { rules: Rule[] };
const patternRules = builtin.rules.filter((r): r is PatternRule => r.kind === 'pattern');
const sourcesOf = (r: PatternRule): string[] => (Array.isArray(r.pattern) ? r.pattern : [r.pattern]);

describe('built-in pattern rules', () => {
  it('all have keywords, so none runs on every sentence', () => {
    expect(patternRules.filter((r) => !r.keywords).map((r) => r.id)).toEqual([]);
  });

  it.each(patternRules.map((r) => [r.id, r] as const))('%s: every possible match contains a keyword', (_id, r) => {
    expect(uncoveredLiterals(sourcesOf(r), r.keywords ?? [], !r.caseSensitive)).toEqual([]);
  });

  it('find a keyword in every example sentence their regexes match', () => {
    const sentences = builtin.rules.flatMap((r) => [...r.examples.flag, ...r.examples.pass]);
    const missed: string[] = [];
    for (const r of patternRules) {
      const regexes = sourcesOf(r).map((src) => new RegExp(src, r.caseSensitive ? 'u' : 'iu'));
      const keywords = (r.keywords ?? []).map(keywordForm);
      for (const s of sentences) {
        if (regexes.some((re) => re.test(s)) && !keywords.some((k) => keywordForm(s).includes(k))) missed.push(`${r.id}: ${s}`);
      }
    }
    expect(missed).toEqual([]);
  });
});

describe('built-in phrase rules', () => {
  // The engine picks a phrase term's keywords itself: check its choice the same way.
  const phraseRules = builtin.rules.filter((r): r is PhraseRule => r.kind === 'phrase');

  it.each(phraseRules.map((r) => [r.id, r] as const))('%s: every term\'s keywords are in all its matches', (_id, r) => {
    const unsafe = r.terms.flatMap((term) => {
      const { source, keywords } = compileTerm(term, r.inflect);
      const missing = uncoveredLiterals([source], keywords, !r.caseSensitive);
      return missing?.length === 0 ? [] : [`${term}: ${JSON.stringify(missing)}`];
    });
    expect(unsafe).toEqual([]);
  });

  it('look for the longest word of a term, by its longest piece between apostrophes', () => {
    expect(compileTerm('get your facts straight', false).keywords).toEqual(['straight']);
    expect(compileTerm("i'll say it again", false).keywords).toEqual(['again']);
    expect(compileTerm("won't", false).keywords).toEqual(['won']);
    expect(compileTerm('keyboard warrior*', false).keywords).toEqual(['keyboard']);
  });
});
