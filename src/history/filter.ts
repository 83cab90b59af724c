/**
 * The review page's filters: date range, site, category, outcome, reviewed or not. The same
 * filter selects what is listed, exported and counted in the audit statistics.
 */
import { z } from 'zod';
import { CATEGORIES } from '../engine/categories';
import { OUTCOMES, type HistoryEntry } from './entry';

export const HistoryFilterSchema = z.object({
  /** Earliest createdAt, ms since the epoch (inclusive). */
  from: z.number().optional(),
  /** Latest createdAt, ms since the epoch (inclusive). */
  to: z.number().optional(),
  /** A site's host, exactly as listed. */
  site: z.string().optional(),
  category: z.enum(CATEGORIES).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  reviewed: z.boolean().optional(),
});
export type HistoryFilter = z.infer<typeof HistoryFilterSchema>;

export function matchesFilter(entry: HistoryEntry, filter: HistoryFilter): boolean {
  if (filter.from !== undefined && entry.createdAt < filter.from) return false;
  if (filter.to !== undefined && entry.createdAt > filter.to) return false;
  if (filter.site && entry.site.host !== filter.site) return false;
  if (filter.category && !entry.findings.some((f) => f.category === filter.category)) return false;
  if (filter.outcome && entry.outcome !== filter.outcome) return false;
  if (filter.reviewed !== undefined && entry.reviewed !== filter.reviewed) return false;
  return true;
}

export function filterEntries(entries: readonly HistoryEntry[], filter: HistoryFilter = {}): HistoryEntry[] {
  return entries.filter((e) => matchesFilter(e, filter));
}

/** Every site in the history, for the site filter's choices (sorted). */
export function sitesOf(entries: readonly HistoryEntry[]): string[] {
  return [...new Set(entries.map((e) => e.site.host))].sort();
}

/**
 * A date input's value (YYYY-MM-DD, the user's local day) as the first or last millisecond of that
 * day. Undefined for an empty or malformed value.
 */
export function dayBound(value: string, edge: 'start' | 'end'): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const t = edge === 'start' ? new Date(y, mo, d, 0, 0, 0, 0) : new Date(y, mo, d, 23, 59, 59, 999);
  return Number.isNaN(t.getTime()) ? undefined : t.getTime();
}
