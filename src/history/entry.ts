/**
 * One entry of the flagged-draft history (the review page): a draft that the submit guard stopped,
 * or that was posted with findings the writer was not shown (audit-mode rules, ignored warnings),
 * and what the writer did with it. One entry per draftId (src/background/protocol.ts, DraftEvent).
 *
 * Every stored entry is validated with this schema when read: storage can hold anything (an older
 * or newer build, a hand edit, a bug), and an entry that does not fit is skipped and reported on
 * the review page, never allowed to crash it.
 *
 * Privacy: `text` is the draft with every flagged span masked ("[redacted: personal data]") unless
 * the organisation's policy sets storeFullText. Finding messages are not stored at all: they quote
 * the flagged words ("{match}").
 */
import { z } from 'zod';
import { CATEGORIES, SEVERITIES } from '../engine/categories';

/** Outcomes in the order a draft goes through them; the last three are final. */
export const OUTCOMES = ['flagged', 'edited', 'posted', 'posted-anyway', 'abandoned'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A draft with one of these outcomes is finished: it was posted or given up. */
export const FINAL_OUTCOMES: readonly Outcome[] = ['posted', 'posted-anyway', 'abandoned'];

export function isFinal(outcome: Outcome): boolean {
  return FINAL_OUTCOMES.includes(outcome);
}

/** What a reviewer reads for each outcome. */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  flagged: 'Stopped, not posted yet',
  edited: 'Went back to edit',
  posted: 'Posted without a warning',
  'posted-anyway': 'Posted anyway',
  abandoned: 'Abandoned',
};

/** How an entry came to be marked abandoned. */
export const ABANDONED_BY = ['page', 'tab-closed', 'timeout', 'browser-restart'] as const;
export type AbandonedBy = (typeof ABANDONED_BY)[number];

export const ABANDONED_BY_LABELS: Record<AbandonedBy, string> = {
  page: 'the draft was emptied, removed, or the page was left',
  'tab-closed': 'the tab was closed',
  timeout: 'no activity for 12 hours',
  'browser-restart': 'the browser was restarted',
};

/** One rule that fired on the draft (one line per rule, whatever the number of matches). */
export const FindingSummarySchema = z.object({
  rule: z.string().min(1),
  pack: z.string().min(1),
  category: z.enum(CATEGORIES),
  severity: z.enum(SEVERITIES),
  /** audit: recorded for the organisation, never shown to the writer. */
  mode: z.enum(['enforce', 'audit']),
  clause: z.object({ id: z.string(), title: z.string(), url: z.string().nullable() }),
});
export type FindingSummary = z.infer<typeof FindingSummarySchema>;

/** The draft's timeline, oldest first (bounded: the first and the latest events are kept). */
export const TimelineEventSchema = z.object({
  kind: z.enum(OUTCOMES),
  at: z.number().int().nonnegative(),
});
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

export const HistoryEntrySchema = z.object({
  /** The draftId: random per draft. */
  id: z.string().min(1).max(100),
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  site: z.object({
    /** host[:port] of the page, e.g. "blog.example.org". */
    host: z.string().min(1),
    /** The page's URL without its query or fragment (those may carry personal data). */
    page: z.string().min(1),
  }),
  /** The tab the draft was written in, to mark it abandoned when the tab closes. */
  tabId: z.number().int().optional(),
  findings: z.array(FindingSummarySchema),
  outcome: z.enum(OUTCOMES),
  abandonedBy: z.enum(ABANDONED_BY).optional(),
  /** The writer's reason for "Post anyway", when given. */
  reason: z.string().optional(),
  reviewed: z.boolean(),
  reviewedAt: z.number().int().nonnegative().optional(),
  /** The draft as last flagged: masked, unless the policy allowed full text when it was stored. */
  text: z.string(),
  /** True when `text` is the full draft (the policy's storeFullText was on). */
  fullText: z.boolean(),
  /** `text` was cut to MAX_TEXT_CHARS. */
  truncated: z.boolean().optional(),
  timeline: z.array(TimelineEventSchema),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** The history's key in browser.storage.local (src/history/store.ts defines the WXT item on it). */
export const HISTORY_AREA_KEY = 'replyguard.history';

/** At most this many entries are kept; the oldest go first. */
export const MAX_ENTRIES = 1000;
/** Stored drafts are cut to this length (storage.local holds 10 MB in all). */
export const MAX_TEXT_CHARS = 5000;
/** Timeline events kept per entry. */
export const MAX_TIMELINE = 20;
/** Retention when the organisation sets none (days). */
export const DEFAULT_RETENTION_DAYS = 90;
/** A draft still open (flagged or being edited) with no event for this long counts as abandoned. */
export const STALE_DRAFT_MS = 12 * 60 * 60 * 1000;

/** A stored value that is not a valid entry: skipped, and reported on the review page. */
export interface SkippedEntry {
  /** Position in the stored list. */
  index: number;
  /** The entry's id if it has a readable one. */
  id?: string;
  /** What is wrong, in one line. */
  problem: string;
}

/** Reads a list of stored values: the valid entries, and a report of the ones skipped. */
export function parseEntries(raw: unknown): { entries: HistoryEntry[]; skipped: SkippedEntry[] } {
  if (!Array.isArray(raw)) {
    return raw == null
      ? { entries: [], skipped: [] }
      : { entries: [], skipped: [{ index: 0, problem: `the stored history is not a list (${typeof raw})` }] };
  }
  const entries: HistoryEntry[] = [];
  const skipped: SkippedEntry[] = [];
  raw.forEach((value, index) => {
    const parsed = HistoryEntrySchema.safeParse(value);
    if (parsed.success) {
      entries.push(parsed.data);
      return;
    }
    const id = typeof (value as { id?: unknown } | null)?.id === 'string' ? ((value as { id: string }).id) : undefined;
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'entry';
    skipped.push({ index, ...(id ? { id } : {}), problem: `${where}: ${issue?.message ?? 'invalid'}` });
  });
  return { entries, skipped };
}
