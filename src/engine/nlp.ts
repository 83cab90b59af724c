/**
 * The one place the engine touches compromise, so the rest of the engine
 * (and the bundle splitter) sees a single import.
 */
import nlp from 'compromise';
import prebuilt from './generated/inflections.json';

export type NlpDoc = ReturnType<typeof nlp>;

/** compromise's world: the list of steps nlp(text) runs lives here (not a public API, so checked before use). */
const world = (nlp as unknown as { _world?: { hooks?: unknown } })._world;

/**
 * Parses a sentence. Without `chunks`, compromise's last step, the chunker, is left out: it
 * only labels each term's chunk (Noun, Verb, ...) for "<Noun>" match syntax, changes no tag,
 * text or offset, and costs about a seventh of a parse. Rules whose patterns use that syntax
 * ask for it (check.ts decides per pack).
 */
export function parse(text: string, chunks = true): NlpDoc {
  const hooks = world?.hooks;
  if (chunks || !Array.isArray(hooks) || !hooks.includes('chunks')) return nlp(text);
  world!.hooks = hooks.filter((h) => h !== 'chunks');
  try {
    return nlp(text);
  } finally {
    world!.hooks = hooks;
  }
}

/** Whether compromise match patterns use chunk syntax ("<Noun>"), which needs the chunker's labels. */
export function usesChunks(patterns: string[]): boolean {
  return patterns.some((p) => p.includes('<'));
}

/** A match pattern parsed once; doc.match(string) would parse it again on every call. */
export type NlpPattern = ReturnType<typeof nlp.parseMatch>;

/** Parses a match pattern exactly as doc.match / doc.has do with a string (accents folded, then parsed). */
export function compilePattern(pattern: string): NlpPattern {
  return nlp.parseMatch(pattern);
}

const CLOSED_CLASS = ['Pronoun', 'Determiner', 'Preposition', 'Conjunction', 'Auxiliary', 'Modal', 'Copula', 'Value'];
/** Names, titles and acronyms keep their spelling: "Mrs" must not become "mr", nor "NHS" "nh". */
const AS_WRITTEN = ['Acronym', 'Abbreviation', 'Honorific'];

/** Inflections depend only on the word, and packs repeat words across rules and recompiles. */
const conjugationMemo = new Map<string, string[]>();
const termMemo = new Map<string, string[][]>();

/**
 * Inflections of the built-in pack's phrase terms, worked out by compromise when the pack
 * is built (scripts/build-builtin-pack.ts writes generated/inflections.json), so compiling
 * that pack, in the CLI or in a service worker that has just started, needs no compromise
 * call for them. They are what inflectTerm computes, so they are used only when made by
 * this very compromise version; any other term (a user's or an admin's pack) is worked
 * out here as before.
 */
interface InflectionTable {
  compromise: string;
  terms: Record<string, string[][]>;
}

if ((prebuilt as InflectionTable).compromise === nlp.version)
  for (const [term, forms] of Object.entries((prebuilt as InflectionTable).terms)) termMemo.set(term, forms);

/** The table generated/inflections.json holds for these terms (computed, or taken from the table if current). */
export function inflectionTable(terms: Iterable<string>): InflectionTable {
  const out: InflectionTable = { compromise: nlp.version, terms: {} };
  for (const term of [...new Set(terms)].sort()) out.terms[term] = inflectTerm(term);
  return out;
}

function conjugations(word: string): string[] {
  const key = word.toLowerCase();
  const known = conjugationMemo.get(key);
  if (known) return known;
  const out: string[] = [];
  const c = (nlp(word).tag('Verb') as NlpDoc).verbs().conjugate() as Array<Record<string, string>>;
  for (const forms of c)
    for (const [tense, v] of Object.entries(forms)) if (tense !== 'FutureTense' && v && !v.includes(' ')) out.push(v.toLowerCase());
  conjugationMemo.set(key, out);
  return out;
}

/**
 * For each word of a term, the forms it may take: verbs conjugated
 * ("announce" -> announced, announces, announcing), nouns pluralised, and
 * nouns also conjugated because replies verb them ("refund", "waive").
 * Closed-class words (we, the, of, will), short words, capitalised words
 * (names) and abbreviations stay as written.
 */
export function inflectTerm(term: string): string[][] {
  const known = termMemo.get(term);
  if (known) return known.map((forms) => [...forms]);
  const result = inflectTermUncached(term);
  termMemo.set(term, result);
  return result.map((forms) => [...forms]);
}

function inflectTermUncached(term: string): string[][] {
  const doc = nlp(term);
  const terms = (doc.json({ terms: { normal: true } }) as Array<{ terms: Array<{ text: string; tags: string[] }> }>).flatMap(
    (s) => s.terms,
  );
  const words = term.trim().split(/\s+/);
  // compromise may split contractions differently from whitespace; fall back to no inflection then.
  if (terms.length !== words.length) return words.map((w) => [w]);
  return words.map((w, i) => {
    const tags = terms[i]!.tags;
    // A capitalised word is written as a name ("London office", "Mrs Jones"), so it is not inflected.
    const asWritten = /^\p{Lu}/u.test(w) || tags.some((t) => AS_WRITTEN.includes(t));
    if (w.length < 3 || /[^\p{L}'’-]/u.test(w) || asWritten || tags.some((t) => CLOSED_CLASS.includes(t))) return [w];
    const forms = new Set<string>([w.toLowerCase()]);
    if (tags.includes('Verb') || tags.includes('Noun') || tags.includes('Adjective')) for (const f of conjugations(w)) forms.add(f);
    if (tags.includes('Noun') && !tags.includes('Plural')) forms.add(nlp(w).nouns().toPlural().text().toLowerCase());
    return [...forms].filter(Boolean);
  });
}
