/**
 * nlp: compromise match patterns over a parsed sentence ("(we|i) will
 * #Adverb? (refund|compensate)"). Parsing is the engine's most expensive
 * step, so a sentence is parsed only when it contains one of the rule's
 * keywords, and at most once for all nlp rules. Negated matches ("we will
 * not refund") and hedged sentences (unlessMatch) do not fire.
 */
import { compilePattern } from '../nlp';
import type { NlpRule } from '../schema';
import type { LocalHit, RuleKind } from '../types';

const NEGATION =
  /(?<![\p{L}])(?:not|never|no|cannot|unable|neither|nor)(?![\p{L}])|n['’]t(?![\p{L}])/iu;

/**
 * A negation inside the match or in the three words before it, within the
 * same clause: "No problem, we will refund" is a promise, the "No" answers
 * something else.
 */
export function isNegated(text: string, start: number, end: number): boolean {
  const clause = text.slice(0, start).split(/[,;:()\u2013\u2014]|\s-\s/).pop()!;
  const before = clause.split(/\s+/).filter(Boolean).slice(-3).join(' ');
  return NEGATION.test(`${before} ${text.slice(start, end)}`);
}

interface NlpMatchJson {
  offset: { start: number };
  terms: Array<{ offset: { start: number; length: number } }>;
}

export const nlpKind: RuleKind<NlpRule> = {
  kind: 'nlp',
  compile(rule) {
    // Parsing a pattern costs more than matching it against a sentence, so it happens once, here.
    const patterns = (Array.isArray(rule.match) ? rule.match : [rule.match]).map(compilePattern);
    const unless = rule.unlessMatch.map(compilePattern);
    return {
      scope: 'sentence',
      keywords: rule.keywords.map((k) => k.toLowerCase()),
      find(s) {
        const doc = s.nlp();
        if (unless.some((p) => doc.has(p))) return [];
        const hits: LocalHit[] = [];
        for (const p of patterns) {
          const found = doc.match(p).json({ offset: true, terms: { offset: true } } as never) as NlpMatchJson[];
          for (const f of found) {
            const start = f.offset.start;
            // A match's own length counts the punctuation before its first word, so the
            // span ends where its last word ends (term offsets exclude punctuation).
            const end = Math.max(start, ...f.terms.map((t) => t.offset.start + t.offset.length));
            if (end === start) continue;
            if (rule.skipNegated && isNegated(s.text, start, end)) continue;
            hits.push({ start, end });
          }
        }
        return hits;
      },
    };
  },
};
