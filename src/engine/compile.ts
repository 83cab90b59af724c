/**
 * compilePack: validate a pack with the schema, then compile every rule once.
 * Errors name the rule, the field and what was expected, in plain words.
 */
import { compileAllowlist } from './allowlist';
import { KeywordIndex } from './prefilter';
import { gateLiterals } from './regex-literals';
import { compileContext, contextNear, SentenceWords } from './context';
import { compileMatcher } from './rules';
import { keywordForm } from './text';
import { crossReferenceIssues, Pack, type PackInput } from './schema';
import type { CompiledPack, CompiledRule, DocumentMatcher, Matcher, SentenceMatcher } from './types';
import { PackCompileError } from './types';
import type { Rule } from './schema';
import type { z } from 'zod';

export class PackValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Describes a zod issue as "rule "x", field "pattern": expected ...". */
export function describeIssues(input: unknown, error: z.ZodError): string[] {
  return error.issues.map((issue) => describeIssue(input, issue.path, plainMessage(issue, valueAt(input, issue.path))));
}

/** "rule "x", field "pattern": message", or "field "policy.url": message" outside the rules. */
function describeIssue(input: unknown, path: PropertyKey[], message: string): string {
  const rules = (input as { rules?: Array<{ id?: unknown }> } | null)?.rules;
  let where = path.length ? `field "${path.join('.')}"` : 'the pack';
  if (path[0] === 'rules' && typeof path[1] === 'number') {
    const id = rules?.[path[1]]?.id;
    const label = typeof id === 'string' ? `rule "${id}"` : `rule #${path[1] + 1}`;
    const field = path.slice(2).join('.');
    where = field ? `${label}, field "${field}"` : label;
  }
  return `${where}: ${message}`;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function plainMessage(issue: z.core.$ZodIssue, value: unknown): string {
  // An unknown "kind": zod lists the kinds it knows on the issue.
  const options = (issue as { options?: unknown[] }).options;
  if (issue.code === 'invalid_union' && Array.isArray(options) && options.length)
    return `${value === undefined ? 'missing' : `unknown value ${JSON.stringify(value)}`} (expected one of: ${options.join(', ')})`;
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.includes('received undefined') ? `missing (expected ${issue.expected})` : issue.message;
    case 'invalid_value':
      return `expected one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field(s): ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'does not match any allowed form (check "kind" and its fields)';
    default:
      return issue.message;
  }
}

/** Parses and validates a pack; throws PackValidationError with every problem found. */
export function parsePack(input: unknown): Pack {
  const result = Pack.safeParse(input);
  if (result.success) return result.data;
  // zod skips the pack-wide checks when a field is wrong; run them anyway so one pass shows every problem.
  const problems = describeIssues(input, result.error);
  for (const issue of crossReferenceIssues(input)) {
    const problem = describeIssue(input, issue.path, issue.message);
    if (!problems.includes(problem)) problems.push(problem);
  }
  throw new PackValidationError(problems);
}

export function compilePack(input: PackInput | Pack): CompiledPack {
  const pack = parsePack(input);
  const clauses = new Map(pack.policy.clauses.map((c) => [c.id, c]));
  const problems: string[] = [];
  const rules: CompiledRule[] = [];
  for (const rule of pack.rules) {
    try {
      const clause = clauses.get(rule.clause)!;
      const url = clause.url ?? (pack.policy.url ? `${pack.policy.url}#${clause.anchor ?? clause.id}` : null);
      const matcher = withKeywordForm(withContext(rule, compileMatcher(rule)));
      rules.push({ rule, matcher, clause: { id: clause.id, title: clause.title, url } });
    } catch (e) {
      if (e instanceof PackCompileError) problems.push(e.message);
      else throw e;
    }
  }
  if (problems.length) throw new PackValidationError(problems);
  const keywords = new KeywordIndex(rules.map((r) => (r.matcher.scope === 'sentence' ? r.matcher.keywords : undefined)));
  return { pack, rules, allowed: compileAllowlist(pack.allowlist), keywords };
}

/** check() compares keywords with the sentence in keywordForm; rule kinds and detectors need not know. */
function withKeywordForm(matcher: Matcher): Matcher {
  if (matcher.scope !== 'sentence' || !matcher.keywords) return matcher;
  const keywords = [...new Set(matcher.keywords.map(keywordForm))];
  const inner = matcher;
  return { scope: 'sentence', keywords, find: (s) => inner.find(s) };
}

/**
 * Applies a rule's requires / boosts / unless context words around each hit:
 * within the hit's sentence for sentence rules, within the whole draft for
 * near rules (whose hits may span sentences).
 */
function withContext(rule: Rule, matcher: Matcher): Matcher {
  const requires = compileContext(rule.requires);
  const boosts = compileContext(rule.boosts);
  const unless = compileContext(rule.unless);
  if (!requires && !boosts && !unless) return matcher;
  const applyContext = <H extends { start: number; end: number; escalate?: boolean }>(hits: H[], words: SentenceWords): H[] =>
    hits
      .filter((h) => (!requires || contextNear(requires, words, h.start, h.end)) && !(unless && contextNear(unless, words, h.start, h.end)))
      .map((h) => (boosts && contextNear(boosts, words, h.start, h.end) ? { ...h, escalate: true } : h));
  if (matcher.scope === 'document') {
    const inner: DocumentMatcher = matcher;
    return {
      scope: 'document',
      find: (text, starts, hitsOf) => applyContext(inner.find(text, starts, hitsOf), new SentenceWords(text, starts)),
    };
  }
  const inner: SentenceMatcher = matcher;
  // A sentence rule's required words are looked for within its sentence, so a sentence that
  // holds none of the literals every one of their matches contains cannot give a hit: the
  // rule (a regex pass, a phone number parse, a compromise parse) need not run at all.
  // (Worked out on the rule's first run, as pattern rules' gates are.)
  let required: string[] | null | undefined;
  return {
    scope: 'sentence',
    keywords: inner.keywords,
    find: (s) => {
      const probe = s.keywordText;
      if (required === undefined) required = requires ? gateLiterals(requires.regex.source, true, MAX_REQUIRED_LITERALS) : null;
      if (required && probe !== undefined && !required.some((l) => probe.includes(l))) return [];
      return applyContext(inner.find(s), s.words);
    },
  };
}

/** Required-word lists run to a few dozen words; each is one includes() on a short sentence. */
const MAX_REQUIRED_LITERALS = 64;
