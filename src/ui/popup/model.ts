/**
 * What the popup shows, decided from what it learned about the tab (pure, so every state is unit-
 * and component-testable): which state the page is in, the drafts in order (focused first), their
 * findings grouped by severity, and what to announce to screen readers when findings appear.
 */
import type { Finding } from '../../engine/types';
import type { FieldStatus, PageStatus } from '../../content/page-status';
import type { SiteStatus } from '../../settings/site-prefs';

export type Severity = Finding['severity'];

/** Most serious first. */
export const SEVERITY_ORDER: readonly Severity[] = ['block', 'warning', 'info'];

/**
 * The popup's states, one screen each:
 * - loading: the tab has not answered yet (a fraction of a second);
 * - not-running: no ReplyGuard in the page (a browser page, or a page opened before ReplyGuard
 *   was installed or updated: reload it);
 * - site-off: the site is switched off, by the user or by the organisation;
 * - no-fields: ReplyGuard runs here but found no reply box;
 * - fields: one or more reply boxes, each empty, checking, checked (clean or with findings) or not
 *   checked (the engine failed: posting is not blocked).
 */
export type PageView =
  | { kind: 'loading' }
  | { kind: 'not-running'; reason: 'no-tab' | 'not-a-web-page' }
  | { kind: 'site-off'; site: SiteStatus }
  | { kind: 'no-fields'; site: SiteStatus }
  | { kind: 'fields'; site: SiteStatus; fields: FieldStatus[] };

/**
 * page: the tab's answer (null: nothing in the page answered; undefined: not asked yet).
 * site: what the organisation's policy and the user's choice say for the page's URL.
 */
export function pageView(tabId: number | null, page: PageStatus | null | undefined, site: SiteStatus | null): PageView {
  if (tabId === null) return { kind: 'not-running', reason: 'no-tab' };
  if (page === undefined) return { kind: 'loading' };
  if (page === null) return { kind: 'not-running', reason: 'not-a-web-page' };
  if (!site) return { kind: 'loading' };
  if (!site.enabled) return { kind: 'site-off', site };
  // Just switched back on: the page has not restarted its checks yet (a fraction of a second).
  if (!page.running) return { kind: 'loading' };
  if (!page.fields.length) return { kind: 'no-fields', site };
  return { kind: 'fields', site, fields: orderFields(page.fields) };
}

/** The focused field first, then the others in page order. */
export function orderFields(fields: readonly FieldStatus[]): FieldStatus[] {
  return [...fields].sort((a, b) => Number(b.focused) - Number(a.focused) || a.id - b.id);
}

export interface SeverityGroup {
  severity: Severity;
  findings: Finding[];
}

/** Findings grouped by severity, most serious group first, each group in draft order. */
export function groupBySeverity(findings: readonly Finding[]): SeverityGroup[] {
  return SEVERITY_ORDER.map((severity) => ({
    severity,
    findings: findings.filter((f) => f.severity === severity).sort((a, b) => a.start - b.start || a.end - b.end),
  })).filter((g) => g.findings.length > 0);
}

/** Identifies a finding across polls (offsets move as the user types above it, so not by offset). */
export function findingKey(fieldId: number, f: Pick<Finding, 'rule' | 'excerpt'>): string {
  return `${fieldId}\u0000${f.rule}\u0000${f.excerpt}`;
}

/** Findings that count as flags (warning or block): what stops a post. */
export function flagCount(findings: readonly Finding[]): number {
  return findings.filter((f) => f.severity !== 'info').length;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One line about a draft's findings, e.g. "2 problems to fix (1 must fix)". */
export function findingsSummary(findings: readonly Finding[]): string {
  if (!findings.length) return 'No problems found';
  const blocks = findings.filter((f) => f.severity === 'block').length;
  const flags = flagCount(findings);
  const notes = findings.length - flags;
  const parts: string[] = [];
  if (flags) parts.push(plural(flags, 'problem', 'problems') + (blocks ? ` (${blocks} must fix)` : ''));
  if (notes) parts.push(plural(notes, 'note', 'notes'));
  return parts.join(', ');
}

/**
 * What the live region says when findings appear that were not there at the previous poll (none
 * for findings that went away: the list shows that). Empty string: nothing new.
 */
export function announcement(previous: ReadonlySet<string>, fields: readonly FieldStatus[]): { text: string; keys: Set<string> } {
  const keys = new Set<string>();
  const fresh: Finding[] = [];
  for (const field of fields) {
    for (const f of field.findings) {
      const key = findingKey(field.id, f);
      keys.add(key);
      if (!previous.has(key)) fresh.push(f);
    }
  }
  if (!fresh.length) return { text: '', keys };
  const first = fresh[0]!;
  const text = fresh.length === 1 ? `New finding: ${first.message}` : `${fresh.length} new findings. The first: ${first.message}`;
  return { text, keys };
}

/** The organisation's pack trouble, in sentences (from AdminStatus in extension storage). */
export interface AdminTrouble {
  /** Remote packs whose last update failed, one sentence each. */
  updates: string[];
  /** Packs that could not be used, and policy values that were ignored. */
  problems: string[];
  /** The organisation wants posts held until its pack is in use (failMode closed). */
  holdPosts: boolean;
}

export function hasAdminTrouble(t: AdminTrouble | null): t is AdminTrouble {
  return !!t && (t.updates.length > 0 || t.problems.length > 0 || t.holdPosts);
}
