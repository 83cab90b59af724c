/**
 * Answers the policy viewer (policy.html): every active pack's metadata, policy, clauses and the
 * rules enforcing each clause, as plain data the page can render (no compiled matchers, which do
 * not survive messaging anyway). The packs are those the admin runtime resolved, in precedence
 * order, so the viewer shows exactly what the checks run with: shadowed rules left out, audit
 * mode applied.
 */
import type { ActivePack, PackSet } from '../admin/pack-set';
import type { Clause, Pack, Rule } from '../engine/schema';
import {
  messageType,
  POLICY_MESSAGE,
  type BackgroundHandler,
  type PolicyClauseView,
  type PolicyPackView,
  type PolicyResponse,
  type PolicyRuleView,
} from './protocol';

/** What the host needs from the admin runtime (admin.packSet()). */
export type LoadPackSet = () => Promise<Pick<PackSet, 'packs' | 'problems'>>;

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, '; ');
}

/** The clause's own page: its url, else the policy url at the clause's anchor (as compilePack links findings). */
export function clauseUrl(policy: Pack['policy'], clause: Clause): string | null {
  return clause.url ?? (policy.url ? `${policy.url}#${clause.anchor ?? clause.id}` : null);
}

function ruleView(rule: Rule, usedBy: ReadonlyMap<string, string[]>, packOverride: Pack['allowOverride']): PolicyRuleView {
  return {
    id: rule.id,
    kind: rule.kind,
    category: rule.category,
    severity: rule.severity,
    mode: rule.mode,
    // As check() decides it for a finding of the rule's own severity (escalation aside).
    allowOverride: (rule.allowOverride ?? packOverride[rule.severity]) !== false,
    message: rule.message,
    ...(rule.suggestion !== undefined && { suggestion: rule.suggestion }),
    ...(rule.fix && { fix: rule.fix.kind === 'replace' ? { kind: 'replace', text: rule.fix.text } : { kind: 'redact' } }),
    standalone: rule.standalone,
    ...(rule.kind === 'near' && { combines: [rule.a, rule.b] as [string, string] }),
    usedBy: usedBy.get(rule.id) ?? [],
    examples: { flag: [...rule.examples.flag], pass: [...rule.examples.pass] },
  };
}

/** One pack as the viewer shows it: its clauses in policy order, each with its rules in pack order. */
export function packView(active: Pick<ActivePack, 'source' | 'origin' | 'locked' | 'audit' | 'pack' | 'shadowed'>): PolicyPackView {
  const { pack } = active;
  const usedBy = new Map<string, string[]>();
  for (const rule of pack.rules) {
    if (rule.kind !== 'near') continue;
    for (const part of new Set([rule.a, rule.b])) usedBy.set(part, [...(usedBy.get(part) ?? []), rule.id]);
  }
  const clauses: PolicyClauseView[] = pack.policy.clauses.map((clause) => ({
    id: clause.id,
    title: clause.title,
    summary: clause.summary,
    source: clause.source,
    url: clauseUrl(pack.policy, clause),
    rules: pack.rules.filter((rule) => rule.clause === clause.id).map((rule) => ruleView(rule, usedBy, pack.allowOverride)),
  }));
  return {
    id: pack.id,
    name: pack.name,
    version: pack.version,
    publisher: pack.publisher,
    description: pack.description,
    source: active.source,
    origin: active.origin,
    locked: active.locked,
    audit: active.audit,
    policy: { title: pack.policy.title, version: pack.policy.version, url: pack.policy.url ?? null, clauses },
    shadowed: [...active.shadowed],
  };
}

/**
 * The background handler for POLICY_MESSAGE. Only the extension's own pages may ask: an
 * organisation's pack is its internal policy, and content scripts have no use for it.
 */
export function createPolicyHost(loadPackSet: LoadPackSet): BackgroundHandler {
  return (message, sender) => {
    if (messageType(message) !== POLICY_MESSAGE) return undefined;
    if (!sender.fromExtension) {
      return Promise.resolve<PolicyResponse>({ ok: false, error: "only ReplyGuard's own pages can ask for the policy" });
    }
    return Promise.resolve()
      .then(loadPackSet)
      .then((set): PolicyResponse => ({ ok: true, packs: set.packs.map(packView), problems: [...set.problems] }))
      .catch((error: unknown): PolicyResponse => ({ ok: false, error: `the policy packs could not be loaded: ${oneLine(error)}` }));
  };
}
