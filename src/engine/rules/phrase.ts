/**
 * phrase: term lists matched on word boundaries, any case, with inflections
 * worked out once at compile time by compromise, so matching a sentence is a
 * single regex pass.
 */
import { inflectTerm } from '../nlp';
import type { PhraseRule } from '../schema';
import { escapeRegex, termSource, WB_AFTER, WB_BEFORE } from '../text';
import type { LocalHit, RuleKind } from '../types';

const SPACE = "[\\s\\u00a0-]+";

/**
 * A term's regex source and its prefilter keywords: the forms of its most
 * telling word. Every match holds each of the term's words in one of its
 * forms, so any word would do; the longest one rules out the most sentences
 * ("get your facts straight" is looked for as "straight", not "get").
 */
export function compileTerm(term: string, inflect: boolean): { source: string; keywords: string[] } {
  const t = term.trim();
  if (!inflect || t.endsWith('*')) {
    // A trailing * leaves the written part of the last word in every match.
    const words = t.replace(/\*$/, '').split(/\s+/).map((w) => [w]);
    return { source: termSource(t), keywords: mostTelling(words) };
  }
  const words = inflectTerm(t);
  const source = words
    .map((forms) => {
      const alts = forms.sort((a, b) => b.length - a.length).map((f) => escapeRegex(f).replace(/['’]/g, "['’]"));
      return alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
    })
    .join(SPACE);
  return { source, keywords: mostTelling(words) };
}

/**
 * Keywords must be substrings of the sentence in keywordForm, and the regex
 * lets an apostrophe be straight or curly, so a form is looked for by its
 * longest apostrophe-free piece ("won't" by "won", "i'll" by "ll").
 */
function piece(form: string): string {
  const pieces = form.toLowerCase().split(/['’]/);
  return pieces.reduce((a, b) => (b.length > a.length ? b : a), '') || form.toLowerCase();
}

/** The pieces of the word whose shortest piece is longest (the first such word on a tie). */
function mostTelling(words: string[][]): string[] {
  let best: string[] = [];
  let bestLength = -1;
  for (const forms of words) {
    const pieces = [...new Set(forms.map(piece))];
    const length = Math.min(...pieces.map((p) => p.length));
    if (length > bestLength) [best, bestLength] = [pieces, length];
  }
  return best;
}

export const phraseKind: RuleKind<PhraseRule> = {
  kind: 'phrase',
  compile(rule) {
    // Longer terms first, so "secret plan" wins over "secret" where both match at one place.
    const terms = [...rule.terms].sort((a, b) => b.trim().length - a.trim().length);
    const compiled = terms.map((t) => compileTerm(t, rule.inflect));
    const source = compiled.map((c) => c.source).join('|');
    const regex = new RegExp(`${WB_BEFORE}(?:${source})${WB_AFTER}`, rule.caseSensitive ? 'gu' : 'giu');
    return {
      scope: 'sentence',
      // Lower-case keywords prefilter case-sensitive terms too: a lower-cased sentence contains the lower-cased term.
      keywords: [...new Set(compiled.flatMap((c) => c.keywords))],
      find(s) {
        const hits: LocalHit[] = [];
        regex.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = regex.exec(s.text))) hits.push({ start: m.index, end: m.index + m[0].length });
        return hits;
      },
    };
  },
};
