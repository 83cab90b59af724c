/**
 * The policy viewer's logic, apart from rendering: asking the background for the active packs,
 * reading the deep link (policy.html#<pack>/<clause>) and filtering rules by words or category.
 */
import { CATEGORY_LABELS, type Category } from '../../engine/categories';
import {
  POLICY_MESSAGE,
  type PolicyClauseView,
  type PolicyPackView,
  type PolicyRequest,
  type PolicyResponse,
  type PolicyRuleView,
} from '../../background/protocol';

/** Sends a message to the background and resolves with its reply (browser.runtime.sendMessage). */
export type SendMessage = (message: PolicyRequest) => Promise<unknown>;

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, '; ');
}

/**
 * Asks the background for the policy. Never throws: a background that cannot answer (not
 * started, an old version, a crash) gives { ok: false } with one plain sentence.
 */
export async function loadPolicy(send: SendMessage): Promise<PolicyResponse> {
  let reply: unknown;
  try {
    reply = await send({ type: POLICY_MESSAGE });
  } catch (error) {
    return { ok: false, error: `ReplyGuard's background did not answer (${oneLine(error)}).` };
  }
  if (typeof reply !== 'object' || reply === null || typeof (reply as { ok?: unknown }).ok !== 'boolean') {
    return { ok: false, error: "ReplyGuard's background did not answer with the policy." };
  }
  const answer = reply as PolicyResponse;
  if (!answer.ok) return { ok: false, error: String(answer.error) };
  if (!Array.isArray(answer.packs) || !Array.isArray(answer.problems)) {
    return { ok: false, error: "ReplyGuard's background answered with something that is not a policy." };
  }
  return answer;
}

/** The element id of a clause's section, and the fragment that links to it (decoded). */
export function clauseElementId(packId: string, clauseId: string): string {
  return `${packId}/${clauseId}`;
}

/** The element id a location hash points at ("#replyguard.builtin/credentials"), or null. */
export function hashTarget(hash: string): string | null {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A deep link to a clause: which pack and clause it names (for saying what is missing). */
export function clauseOfTarget(target: string): { packId: string; clauseId: string } | null {
  const slash = target.indexOf('/');
  if (slash <= 0 || slash === target.length - 1) return null;
  return { packId: target.slice(0, slash), clauseId: target.slice(slash + 1) };
}

export interface PolicyFilter {
  /** Words typed into the search box; every word must appear (any case). */
  words: string;
  /** One category id, or '' for all. */
  category: Category | '';
}

export const NO_FILTER: PolicyFilter = { words: '', category: '' };

export function isFiltering(filter: PolicyFilter): boolean {
  return filter.words.trim() !== '' || filter.category !== '';
}

function wordsOf(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

function containsAll(haystack: string, words: readonly string[]): boolean {
  return words.every((w) => haystack.includes(w));
}

/** Everything a reader might search a rule by, in lower case. */
function ruleText(rule: PolicyRuleView): string {
  return [rule.id, rule.message, rule.suggestion ?? '', CATEGORY_LABELS[rule.category] ?? rule.category, rule.category]
    .join('\n')
    .toLowerCase();
}

function examplesText(rule: PolicyRuleView): string {
  return [...rule.examples.flag, ...rule.examples.pass].join('\n').toLowerCase();
}

function clauseText(clause: PolicyClauseView): string {
  return [clause.id, clause.title, clause.summary, clause.source].join('\n').toLowerCase();
}

export interface ShownRule {
  rule: PolicyRuleView;
  /** The search words were found in the rule's examples: show them open. */
  examplesMatch: boolean;
}

export interface ShownClause {
  clause: PolicyClauseView;
  rules: ShownRule[];
}

export interface ShownPack {
  pack: PolicyPackView;
  clauses: ShownClause[];
}

export interface FilterResult {
  packs: ShownPack[];
  ruleCount: number;
  clauseCount: number;
}

/**
 * What the filter leaves. A rule is shown when its category is the one chosen and every search
 * word appears in its id, message, suggestion, category or examples, or in its clause's text (a
 * search for a clause's subject shows all its rules). A clause is shown when it has a rule left,
 * or when no category is chosen and its own text has every word.
 */
export function applyFilter(packs: readonly PolicyPackView[], filter: PolicyFilter): FilterResult {
  const words = wordsOf(filter.words);
  let ruleCount = 0;
  let clauseCount = 0;
  const shown: ShownPack[] = [];
  for (const pack of packs) {
    const clauses: ShownClause[] = [];
    for (const clause of pack.policy.clauses) {
      const clauseHit = words.length > 0 && containsAll(clauseText(clause), words);
      const rules: ShownRule[] = [];
      for (const rule of clause.rules) {
        if (filter.category && rule.category !== filter.category) continue;
        const examplesMatch = words.length > 0 && containsAll(examplesText(rule), words);
        const hit = words.length === 0 || clauseHit || examplesMatch || containsAll(`${ruleText(rule)}\n${examplesText(rule)}`, words);
        if (hit) rules.push({ rule, examplesMatch });
      }
      if (rules.length > 0 || (!filter.category && (words.length === 0 || clauseHit))) {
        clauses.push({ clause, rules });
        ruleCount += rules.length;
        clauseCount += 1;
      }
    }
    if (clauses.length > 0) shown.push({ pack, clauses });
  }
  return { packs: shown, ruleCount, clauseCount };
}

/** The categories the packs' rules use, in the contract's order, for the category menu. */
export function categoriesUsed(packs: readonly PolicyPackView[]): Category[] {
  const used = new Set(packs.flatMap((p) => p.policy.clauses.flatMap((c) => c.rules.map((r) => r.category))));
  return (Object.keys(CATEGORY_LABELS) as Category[]).filter((c) => used.has(c));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
