/**
 * How draft events become history entries (pure functions; the background host stores the result).
 *
 * One entry per draftId. The content script sends an event when the submit guard stops a post
 * (flagged), when the writer chooses "Edit draft" (edited) or "Post anyway" (posted-anyway), when
 * a draft it is following goes through with no flag shown (posted: edited clean, or only audit
 * rules / ignored warnings fired), and when such a draft is emptied, its field removed or its page
 * left (abandoned). The background adds the abandonments the page cannot report: the tab closed,
 * the browser restarted, or no event for STALE_DRAFT_MS.
 */
import { z } from 'zod';
import { CATEGORIES, SEVERITIES } from '../engine/categories';
import type { Finding } from '../engine/types';
import {
  MAX_ENTRIES,
  MAX_TIMELINE,
  OUTCOMES,
  STALE_DRAFT_MS,
  isFinal,
  type AbandonedBy,
  type HistoryEntry,
  type Outcome,
} from './entry';
import { storedText, summariseFindings } from './mask';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A finding as the content script sends it (engine Finding; extra fields are ignored). */
const EventFindingSchema = z.object({
  rule: z.string().min(1).max(200),
  pack: z.string().min(1).max(200),
  category: z.enum(CATEGORIES),
  severity: z.enum(SEVERITIES),
  mode: z.enum(['enforce', 'audit']),
  message: z.string().max(2000).default(''),
  start: z.number().int(),
  end: z.number().int(),
  excerpt: z.string().max(20_000),
  clause: z.object({ id: z.string().max(200), title: z.string().max(500), url: z.string().max(2000).nullable() }),
});

/** A DraftEvent (src/background/protocol.ts) checked before it touches the history. */
export const DraftEventSchema = z.object({
  type: z.literal('draft-event'),
  draftId: z.string().min(8).max(100),
  kind: z.enum(OUTCOMES),
  reason: z.string().max(2000).optional(),
  text: z.string().max(200_000),
  findings: z.array(EventFindingSchema).max(1000),
  action: z.enum(['click', 'submit', 'key']).optional(),
  at: z.number(),
});
export type CheckedDraftEvent = z.infer<typeof DraftEventSchema>;

export interface Site {
  host: string;
  page: string;
}

/** The site of a page URL: its host, and the URL without query or fragment. Null for non-web URLs. */
export function siteOf(url: string | undefined): Site | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return { host: parsed.host, page: `${parsed.origin}${parsed.pathname}` };
}

export interface FoldContext {
  now: number;
  /** From the message's sender (the browser's word), never from the message. */
  site: Site;
  tabId?: number;
  /** The organisation's storeFullText. */
  fullText: boolean;
}

/** Warning and block findings, in any mode: these are what makes a draft worth an entry. */
function flagLevel(findings: readonly Pick<Finding, 'severity'>[]): boolean {
  return findings.some((f) => f.severity === 'warning' || f.severity === 'block');
}

function addToTimeline(timeline: HistoryEntry['timeline'], kind: Outcome, at: number): HistoryEntry['timeline'] {
  const next = [...timeline, { kind, at }];
  // Keep the first event (when it was flagged) and the latest ones.
  return next.length > MAX_TIMELINE ? [next[0]!, ...next.slice(next.length - MAX_TIMELINE + 1)] : next;
}

/**
 * The entry after one event, or null when the event changes nothing: an event of another site's
 * draft, a late event for a draft already posted, or a first event with no flag-level finding.
 */
export function foldEvent(existing: HistoryEntry | undefined, event: CheckedDraftEvent, ctx: FoldContext): HistoryEntry | null {
  if (existing) {
    if (existing.site.host !== ctx.site.host) return null;
    // A post is the last word on a draft; an abandonment is overruled by later real activity.
    if (existing.outcome === 'posted' || existing.outcome === 'posted-anyway') return null;
    if (existing.outcome === 'abandoned' && event.kind === 'abandoned') return null;
  } else if (!flagLevel(event.findings)) {
    return null;
  }
  const hasFlags = flagLevel(event.findings);
  const base: HistoryEntry = existing ?? {
    id: event.draftId,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    site: ctx.site,
    findings: [],
    outcome: event.kind,
    reviewed: false,
    text: '',
    fullText: ctx.fullText,
    timeline: [],
  };
  const entry: HistoryEntry = {
    ...base,
    updatedAt: ctx.now,
    findings: summariseFindings(event.findings, base.findings),
    outcome: event.kind,
    timeline: addToTimeline(base.timeline, event.kind, ctx.now),
  };
  if (ctx.tabId !== undefined) entry.tabId = ctx.tabId;
  // The stored text is the draft as last flagged: a clean text posted after an edit, or an
  // emptied field, says nothing about what was flagged.
  if (hasFlags) {
    const stored = storedText(event.text, event.findings, ctx.fullText);
    entry.text = stored.text;
    entry.fullText = ctx.fullText;
    if (stored.truncated) entry.truncated = true;
    else delete entry.truncated;
  }
  if (event.kind === 'posted-anyway' && event.reason?.trim()) entry.reason = event.reason.trim();
  if (event.kind === 'abandoned') entry.abandonedBy = 'page';
  else delete entry.abandonedBy;
  // New facts after a review: the entry needs looking at again.
  if (existing && existing.outcome !== entry.outcome) {
    entry.reviewed = false;
    delete entry.reviewedAt;
  }
  return entry;
}

/** Marks open drafts abandoned: those of a tab (closed), or all (browser restarted). */
export function abandonOpen(entries: HistoryEntry[], now: number, by: AbandonedBy, tabId?: number): HistoryEntry[] {
  return entries.map((e) => {
    if (isFinal(e.outcome) || (tabId !== undefined && e.tabId !== tabId)) return e;
    return abandon(e, now, by);
  });
}

function abandon(e: HistoryEntry, now: number, by: AbandonedBy): HistoryEntry {
  return { ...e, outcome: 'abandoned', abandonedBy: by, updatedAt: now, timeline: addToTimeline(e.timeline, 'abandoned', now), reviewed: false };
}

/**
 * Housekeeping before every read and write: entries older than the retention period go (0 days:
 * none are kept), open drafts with no event for STALE_DRAFT_MS count as abandoned, and at most
 * MAX_ENTRIES stay, newest first.
 */
export function sweep(entries: HistoryEntry[], now: number, retentionDays: number): HistoryEntry[] {
  const oldest = now - retentionDays * DAY_MS;
  return entries
    .filter((e) => retentionDays > 0 && e.createdAt >= oldest)
    .map((e) => (!isFinal(e.outcome) && now - e.updatedAt > STALE_DRAFT_MS ? abandon(e, e.updatedAt + STALE_DRAFT_MS, 'timeout') : e))
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, MAX_ENTRIES);
}
