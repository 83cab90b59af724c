import type { Category, Severity } from './categories';
import type { SentenceWords } from './context';
import type { NlpDoc } from './nlp';
import type { KeywordIndex } from './prefilter';
import type { Pack, Rule } from './schema';

/** What the writer is told. Offsets are UTF-16 code units into the draft. */
export interface Finding {
  rule: string;
  pack: string;
  category: Category;
  severity: Severity;
  mode: 'enforce' | 'audit';
  message: string;
  start: number;
  end: number;
  excerpt: string;
  clause: { id: string; title: string; url: string | null };
  suggestion?: { text?: string; replacement?: string };
  /** Present, and false, when the pack (or the rule) forbids "Post anyway" past this finding. */
  overridable?: false;
}

/** A match inside one sentence, offsets relative to that sentence. */
export interface LocalHit {
  start: number;
  end: number;
  escalate?: boolean;
}

/** A match in the whole draft. */
export interface Hit {
  start: number;
  end: number;
  escalate?: boolean;
}

/** One sentence as the rules see it; the compromise parse is made on first use. */
export interface SentenceInput {
  text: string;
  /** text in lower case, always the same length, so an offset in one is an offset in the other. */
  lower: string;
  words: SentenceWords;
  nlp(): NlpDoc;
  /**
   * The sentence in keywordForm (text.ts), given when the keyword prefilter is
   * on: a rule may then skip work that needs text the sentence lacks. Absent,
   * a rule runs in full.
   */
  keywordText?: string;
}

/** A rule that looks at one sentence at a time (cacheable per sentence). */
export interface SentenceMatcher {
  scope: 'sentence';
  /** Lower-case literals; the rule runs only on sentences containing one. null: always runs. */
  keywords: string[] | null;
  find(s: SentenceInput): LocalHit[];
}

/** A rule over the whole draft that combines other rules' hits (near). */
export interface DocumentMatcher {
  scope: 'document';
  find(text: string, wordStarts: number[], hitsOf: (ruleId: string) => Hit[]): Hit[];
}

export type Matcher = SentenceMatcher | DocumentMatcher;

/** One rule kind: one file in src/engine/rules/, registered in rules/index.ts. */
export interface RuleKind<R extends Rule = Rule> {
  kind: R['kind'];
  compile(rule: R): Matcher;
}

export interface CompiledRule {
  rule: Rule;
  matcher: Matcher;
  clause: Finding['clause'];
}

export interface CompiledPack {
  pack: Pack;
  rules: CompiledRule[];
  /** Drops hits on the organisation's own numbers, domains, mailboxes and terms. */
  allowed(sentence: string, start: number, end: number): boolean;
  /** Which sentence rules have a keyword in a sentence (rules without keywords always run). */
  keywords: KeywordIndex;
}

export class PackCompileError extends Error {
  constructor(
    readonly ruleId: string,
    readonly field: string,
    message: string,
  ) {
    super(`rule "${ruleId}", field "${field}": ${message}`);
  }
}
