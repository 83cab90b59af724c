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

/** A term's regex source and the lower-case forms its first word can take (the prefilter keywords). */
export function compileTerm(term: string, inflect: boolean): { source: string; firstWords: string[] } {
  const t = term.trim();
  if (!inflect || t.endsWith('*')) {
    return { source: termSource(t), firstWords: [t.split(/\s+/)[0]!.replace(/\*$/, '').toLowerCase()] };
  }
  const words = inflectTerm(t);
  const source = words
    .map((forms) => {
      const alts = forms.sort((a, b) => b.length - a.length).map((f) => escapeRegex(f).replace(/['’]/g, "['’]"));
      return alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
    })
    .join(SPACE);
  return { source, firstWords: words[0]!.map((f) => f.toLowerCase()) };
}

/** Keywords must be substrings of the lower-cased sentence: cut at an apostrophe, which may be straight or curly. */
function keyword(word: string): string {
  return word.split(/['’]/)[0] || word;
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
      keywords: [...new Set(compiled.flatMap((c) => c.firstWords.map(keyword)))],
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
