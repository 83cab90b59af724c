/**
 * The pack format, defined once. TypeScript types are inferred from these
 * schemas and rules/pack.schema.json is generated from them
 * (scripts/build-builtin-pack.ts), so the editor schema, the validator and the
 * types can never disagree.
 */
import { z } from 'zod';
import { CATEGORIES, SEVERITIES } from './categories';
import { VALIDATOR_NAMES } from './validators';

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'an id of lower-case letters, digits, dots, dashes or underscores');

const Semver = z
  .string()
  .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/, 'a semantic version such as 1.2.0');

const Severity = z.enum(SEVERITIES).describe('info is a quiet hint; warning and block count as flags');
const Mode = z.enum(['enforce', 'audit']).describe('audit: evaluated and recorded, never shown to the writer');

/** Words near a match, within N words either side (or only before / after). */
export const Context = z
  .object({
    words: z
      .array(z.string().min(1))
      .min(1)
      .describe('Plain words or phrases, case-insensitive; a trailing * matches any ending ("confiden*").'),
    within: z.number().int().positive().max(50).default(6).describe('How many words away, at most.'),
    side: z.enum(['before', 'after', 'around']).default('around'),
  })
  .strict();

export const Examples = z
  .object({
    flag: z.array(z.string()).default([]).describe('Texts this rule must flag.'),
    pass: z.array(z.string()).default([]).describe('Texts this rule must leave alone.'),
  })
  .strict();

export const QuickFix = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('redact') }).strict(),
  z.object({ kind: z.literal('replace'), text: z.string() }).strict(),
]);

const ruleBase = {
  id: Id,
  category: z.enum(CATEGORIES),
  severity: Severity.default('warning'),
  clause: Id.describe('Id of the policy clause this rule enforces.'),
  message: z.string().min(1).describe('Shown to the writer. "{match}" is replaced by the flagged words.'),
  suggestion: z.string().optional().describe('What to write instead, in plain words.'),
  fix: QuickFix.optional(),
  mode: Mode.default('enforce'),
  allowOverride: z
    .boolean()
    .optional()
    .describe('May the writer "Post anyway" past this rule\'s finding? Default: the pack\'s allowOverride for its severity.'),
  standalone: z
    .boolean()
    .default(true)
    .describe('false: a building block for near rules, never reported on its own.'),
  requires: Context.optional().describe('The match counts only with one of these words nearby.'),
  boosts: Context.optional().describe('One of these words nearby raises the severity one step.'),
  unless: Context.optional().describe('One of these words nearby cancels the match.'),
  examples: Examples.default({ flag: [], pass: [] }),
};

export const PatternRule = z
  .object({
    ...ruleBase,
    kind: z.literal('pattern'),
    pattern: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('JavaScript regular expression(s). A named group (?<span>...) narrows the flagged span.'),
    caseSensitive: z.boolean().default(false),
    keywords: z
      .array(z.string().min(1))
      .optional()
      .describe('Cheap prefilter: the rule runs only on sentences that contain one of these (case-insensitive).'),
    validator: z.enum(VALIDATOR_NAMES).optional().describe('Checksum / range check the match must pass.'),
    minEntropy: z.number().min(0).max(8).optional().describe('Minimum Shannon entropy (bits per character) of the match.'),
    exceptions: z
      .array(z.string().min(1))
      .default([])
      .describe('Regular expressions; a match that one of them matches in full is not a finding.'),
  })
  .strict();

export const PhraseRule = z
  .object({
    ...ruleBase,
    kind: z.literal('phrase'),
    terms: z.array(z.string().min(1)).min(1).describe('Words or phrases, matched on word boundaries, any case.'),
    inflect: z.boolean().default(true).describe('Also match inflections ("announce" matches "announced").'),
    caseSensitive: z.boolean().default(false),
  })
  .strict();

export const NlpRule = z
  .object({
    ...ruleBase,
    kind: z.literal('nlp'),
    match: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('compromise match pattern(s), e.g. "(we|i) will #Adverb? (refund|compensate)".'),
    keywords: z
      .array(z.string().min(1))
      .min(1)
      .describe('Prefilter: the sentence is parsed only when it contains one of these (case-insensitive).'),
    unlessMatch: z
      .array(z.string().min(1))
      .default([])
      .describe('compromise patterns; if the sentence matches one, the rule does not fire (hedging).'),
    skipNegated: z.boolean().default(true).describe('Ignore matches that are negated ("we will not refund").'),
  })
  .strict();

export const NearRule = z
  .object({
    ...ruleBase,
    kind: z.literal('near'),
    a: Id.describe('Id of the first rule.'),
    b: Id.describe('Id of the second rule.'),
    within: z.number().int().min(0).max(200).default(10).describe('At most this many words apart (0: the two matches must overlap).'),
    span: z.enum(['a', 'b', 'both']).default('both').describe('Which part to flag.'),
  })
  .strict();

export const DetectorRule = z
  .object({
    ...ruleBase,
    kind: z.literal('detector'),
    detector: z.string().min(1).describe('Name of a built-in detector: phone, email, profanity, shouting.'),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const Rule = z.discriminatedUnion('kind', [PatternRule, PhraseRule, NlpRule, NearRule, DetectorRule]);

export const Clause = z
  .object({
    id: Id,
    title: z.string().min(1),
    summary: z.string().min(1).describe('The clause in plain words.'),
    url: z.url().optional(),
    anchor: z.string().optional().describe('Fragment of policy.url for this clause.'),
    source: z.string().min(1).describe('The real document this clause rests on.'),
  })
  .strict();

export const Policy = z
  .object({
    title: z.string().min(1),
    version: z.string().min(1),
    url: z.url().optional(),
    clauses: z.array(Clause).min(1),
  })
  .strict();

export const Allowlist = z
  .object({
    phones: z.array(z.string()).default([]).describe("The organisation's own public phone numbers."),
    domains: z
      .array(z.string())
      .default([])
      .describe('The organisation\'s own domains: "example.org" allows that host only, "*.example.org" its subdomains too.'),
    emails: z.array(z.string()).default([]).describe('Role mailboxes, e.g. press@example.gov.uk or a bare local part "press@".'),
    terms: z.array(z.string()).default([]).describe('Words or phrases that are never flagged.'),
  })
  .strict();

export const Pack = z
  .object({
    $schema: z.string().optional(),
    id: Id,
    name: z.string().min(1),
    version: Semver,
    publisher: z.string().min(1),
    description: z.string().default(''),
    policy: Policy,
    allowlist: Allowlist.default({ phones: [], domains: [], emails: [], terms: [] }),
    allowOverride: z
      .object({ info: z.boolean(), warning: z.boolean(), block: z.boolean() })
      .partial()
      .strict()
      .default({})
      .describe('Per severity: may the writer "Post anyway" past a finding of it (default: yes). The organisation\'s policy (allowOverride) can forbid it too; either one saying no wins.'),
    rules: z.array(Rule),
  })
  .strict()
  .superRefine((pack, ctx) => {
    for (const issue of crossReferenceIssues(pack)) ctx.addIssue({ code: 'custom', ...issue });
  });

/**
 * Checks between fields: unique ids, clauses that exist, near rules that
 * name existing non-near rules. Written over loosely typed input so
 * compilePack can report these alongside schema errors elsewhere in the pack.
 */
export function crossReferenceIssues(input: unknown): Array<{ path: Array<string | number>; message: string }> {
  const issues: Array<{ path: Array<string | number>; message: string }> = [];
  const pack = (input ?? {}) as { policy?: { clauses?: unknown }; rules?: unknown };
  const list = (v: unknown): Array<Record<string, unknown>> =>
    Array.isArray(v) ? v.map((x) => (x !== null && typeof x === 'object' ? (x as Record<string, unknown>) : {})) : [];
  const clauses = list(pack.policy?.clauses);
  const rules = list(pack.rules);
  const clauseIds = new Set<string>();
  clauses.forEach((c, i) => {
    if (typeof c.id !== 'string') return;
    if (clauseIds.has(c.id)) issues.push({ path: ['policy', 'clauses', i, 'id'], message: `clause id "${c.id}" is used twice` });
    clauseIds.add(c.id);
  });
  const ruleKinds = new Map<string, unknown>();
  rules.forEach((r, i) => {
    if (typeof r.id === 'string') {
      if (ruleKinds.has(r.id)) issues.push({ path: ['rules', i, 'id'], message: `rule id "${r.id}" is used twice` });
      ruleKinds.set(r.id, r.kind);
    }
    if (typeof r.clause === 'string' && clauses.length && !clauseIds.has(r.clause))
      issues.push({
        path: ['rules', i, 'clause'],
        message: `clause "${r.clause}" is not in the policy (expected one of: ${[...clauseIds].join(', ')})`,
      });
  });
  rules.forEach((r, i) => {
    if (r.kind !== 'near') return;
    for (const side of ['a', 'b'] as const) {
      const ref = r[side];
      if (typeof ref !== 'string') continue;
      if (!ruleKinds.has(ref)) issues.push({ path: ['rules', i, side], message: `rule "${ref}" is not in this pack` });
      else if (ruleKinds.get(ref) === 'near') issues.push({ path: ['rules', i, side], message: `rule "${ref}" is a near rule; near rules cannot nest` });
    }
  });
  return issues;
}

export type Pack = z.infer<typeof Pack>;
export type PackInput = z.input<typeof Pack>;
export type Rule = z.infer<typeof Rule>;
export type PatternRule = z.infer<typeof PatternRule>;
export type PhraseRule = z.infer<typeof PhraseRule>;
export type NlpRule = z.infer<typeof NlpRule>;
export type NearRule = z.infer<typeof NearRule>;
export type DetectorRule = z.infer<typeof DetectorRule>;
export type Context = z.infer<typeof Context>;
export type Clause = z.infer<typeof Clause>;
export type Allowlist = z.infer<typeof Allowlist>;
export type QuickFix = z.infer<typeof QuickFix>;
