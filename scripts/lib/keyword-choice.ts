/**
 * Choosing a short keyword list for a pattern rule. requiredLiterals gives a
 * safe set (every match contains one of them), often hundreds of long
 * literals ("think twice before complaining", ...). Any substring of those
 * literals is as safe as the literal it was cut from, so this picks a few
 * substrings that together cover every literal while appearing in as few
 * sample sentences as possible: a greedy weighted set cover, with the sample
 * standing in for the drafts the rule will see. Safety never depends on the
 * sample, only how fast the rule is.
 */

/** What one more keyword costs, in sample sentences: keeps lists short where the sample cannot tell pieces apart. */
const PER_KEYWORD = Number(process.env.KEYWORD_COST ?? 2);

/**
 * Pieces of a literal worth offering as keywords: whole words and runs of
 * words, and the common stem of words that share one ("announc" for
 * announce, announced, announcement), never a word cut short on its own.
 */
function pieces(literal: string, stems: Set<string>): string[] {
  const out = new Set<string>([literal]);
  const words = literal.split(' ').filter(Boolean);
  for (let a = 0; a < words.length; a++) {
    for (let b = a + 1; b <= words.length; b++) out.add(words.slice(a, b).join(' '));
    const w = words[a]!;
    for (let n = 5; n < w.length; n++) if (stems.has(w.slice(0, n))) out.add(w.slice(0, n));
  }
  return [...out].filter((p) => p.replace(/[^\p{L}\p{N}]/gu, '').length >= Math.min(3, literal.replace(/[^\p{L}\p{N}]/gu, '').length));
}

/** Prefixes (5+ letters) shared by at least two different words of the literals. */
function sharedStems(literals: string[]): Set<string> {
  const firstWord = new Map<string, string>();
  const shared = new Set<string>();
  for (const w of new Set(literals.flatMap((l) => l.split(' ')).filter((w) => /^[\p{L}]+$/u.test(w)))) {
    for (let n = 5; n < w.length; n++) {
      const stem = w.slice(0, n);
      const seen = firstWord.get(stem);
      if (seen === undefined) firstWord.set(stem, w);
      else if (seen !== w) shared.add(stem);
    }
  }
  return shared;
}

export interface KeywordChoice {
  keywords: string[];
  /** Sample sentences the chosen keywords admit. */
  admitted: number;
}

/**
 * A small keyword list covering every literal of `required` (a safe must
 * set, in keywordForm), admitting few of `sample` (sentences in keywordForm).
 */
export function chooseKeywords(required: Iterable<string>, sample: string[]): KeywordChoice {
  const literals = [...required];
  const candidates = new Map<string, { covers: number[]; hits: number[] }>();
  const stems = sharedStems(literals);
  literals.forEach((lit, i) => {
    for (const p of pieces(lit, stems)) {
      let c = candidates.get(p);
      if (!c) candidates.set(p, (c = { covers: [], hits: [] }));
      c.covers.push(i);
    }
  });
  for (const [p, c] of candidates) {
    // A piece also covers literals it was not cut from ("stop" is in "non-stop").
    c.covers = literals.flatMap((lit, i) => (lit.includes(p) ? [i] : []));
    c.hits = sample.flatMap((s, i) => (s.includes(p) ? [i] : []));
  }
  const covered = new Uint8Array(literals.length);
  const admitted = new Uint8Array(sample.length);
  let left = literals.length;
  const chosen: string[] = [];
  while (left > 0) {
    let best: string | undefined;
    let bestScore = Infinity;
    for (const [p, c] of candidates) {
      const gain = c.covers.reduce((n, i) => n + (covered[i] ? 0 : 1), 0);
      if (!gain) continue;
      const cost = c.hits.reduce((n, i) => n + (admitted[i] ? 0 : 1), 0);
      // New sentences admitted per literal covered, with a price on each keyword.
      const score = (cost + PER_KEYWORD) / gain;
      if (score < bestScore || (score === bestScore && best !== undefined && p.length < best.length)) [best, bestScore] = [p, score];
    }
    if (best === undefined) throw new Error('a literal no piece covers'); // cannot happen: every literal is its own piece
    chosen.push(best);
    for (const i of candidates.get(best)!.covers) if (!covered[i]) (covered[i] = 1), left--;
    for (const i of candidates.get(best)!.hits) admitted[i] = 1;
  }
  // Drop keywords that later picks made redundant: every literal holding one also holds another kept keyword.
  const keywords = [...chosen];
  for (const k of [...chosen].reverse()) {
    const others = keywords.filter((o) => o !== k);
    if (literals.every((lit) => !lit.includes(k) || others.some((o) => lit.includes(o)))) keywords.splice(keywords.indexOf(k), 1);
  }
  const admittedCount = sample.filter((s) => keywords.some((k) => s.includes(k))).length;
  return { keywords: keywords.sort(), admitted: admittedCount };
}
