/**
 * nlp: compromise match patterns over a parsed sentence ("(we|i) will
 * #Adverb? (refund|compensate)"). Parsing is the engine's most expensive
 * step, so a sentence is parsed only when it contains one of the rule's
 * keywords, and at most once for all nlp rules. Negated matches ("we will
 * not refund") and hedged sentences (unlessMatch) do not fire.
 */
import type { NlpRule } from '../schema';
import type { LocalHit, RuleKind } from '../types';

const NEGATION =
  /(?<![\p{L}])(?:not|never|no|cannot|unable|neither|nor)(?![\p{L}])|n['’]t(?![\p{L}])/iu;

/** A negation inside the match or in the three words before it. */
export function isNegated(text: string, start: number, end: number): boolean {
  const before = text.slice(0, start).split(/\s+/).filter(Boolean).slice(-3).join(' ');
  return NEGATION.test(`${before} ${text.slice(start, end)}`);
}

export const nlpKind: RuleKind<NlpRule> = {
  kind: 'nlp',
  compile(rule) {
    const patterns = Array.isArray(rule.match) ? rule.match : [rule.match];
    return {
      scope: 'sentence',
      keywords: rule.keywords.map((k) => k.toLowerCase()),
      find(s) {
        const doc = s.nlp();
        if (rule.unlessMatch.some((p) => doc.has(p))) return [];
        const hits: LocalHit[] = [];
        for (const p of patterns) {
          const found = doc.match(p).json({ offset: true, terms: false } as never) as Array<{ offset: { start: number; length: number } }>;
          for (const f of found) {
            const start = f.offset.start;
            let end = start + f.offset.length;
            // compromise includes trailing punctuation in a term's text; the span should end at the word.
            while (end > start && /[\s.,;:!?)"'”’]/.test(s.text[end - 1]!)) end--;
            if (rule.skipNegated && isNegated(s.text, start, end)) continue;
            hits.push({ start, end });
          }
        }
        return hits;
      },
    };
  },
};
