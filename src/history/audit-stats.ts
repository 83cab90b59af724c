/**
 * Audit statistics (issue 5, audit mode): for each rule running in audit mode, how many drafts it
 * would have flagged, on which sites, and over which period — so an administrator can judge a
 * rule's noise before enforcing it. Counted over history entries (one per draft), so a rule that
 * matched three times in one draft counts once.
 */
import type { FindingSummary, HistoryEntry, Outcome } from './entry';

export interface AuditRuleStats {
  pack: string;
  rule: string;
  category: FindingSummary['category'];
  severity: FindingSummary['severity'];
  clause: FindingSummary['clause'];
  /** Drafts it fired on. */
  drafts: number;
  /** Per site (host), most drafts first. */
  sites: Array<{ host: string; drafts: number }>;
  /** The earliest and latest draft it fired on (createdAt, ms). */
  first: number;
  last: number;
  /** What the writers did with those drafts (they never saw this rule's finding). */
  outcomes: Partial<Record<Outcome, number>>;
}

export function auditStats(entries: readonly HistoryEntry[]): AuditRuleStats[] {
  const byRule = new Map<string, AuditRuleStats & { siteCounts: Map<string, number> }>();
  for (const entry of entries) {
    for (const f of entry.findings) {
      if (f.mode !== 'audit') continue;
      const key = `${f.pack}\u0000${f.rule}`;
      let stats = byRule.get(key);
      if (!stats) {
        stats = {
          pack: f.pack,
          rule: f.rule,
          category: f.category,
          severity: f.severity,
          clause: f.clause,
          drafts: 0,
          sites: [],
          first: entry.createdAt,
          last: entry.createdAt,
          outcomes: {},
          siteCounts: new Map(),
        };
        byRule.set(key, stats);
      }
      stats.drafts++;
      stats.first = Math.min(stats.first, entry.createdAt);
      stats.last = Math.max(stats.last, entry.createdAt);
      stats.outcomes[entry.outcome] = (stats.outcomes[entry.outcome] ?? 0) + 1;
      stats.siteCounts.set(entry.site.host, (stats.siteCounts.get(entry.site.host) ?? 0) + 1);
    }
  }
  return [...byRule.values()]
    .map(({ siteCounts, ...stats }) => ({
      ...stats,
      sites: [...siteCounts].map(([host, drafts]) => ({ host, drafts })).sort((a, b) => b.drafts - a.drafts || a.host.localeCompare(b.host)),
    }))
    .sort((a, b) => b.drafts - a.drafts || a.rule.localeCompare(b.rule));
}
