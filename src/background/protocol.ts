/**
 * Messages between the content script and the background engine host. Type-only for the content
 * script (it imports nothing from the engine at run time, so the injected bundle stays small).
 */
import type { Finding } from '../engine/types';
import type { AuditRuleStats } from '../history/audit-stats';
import type { HistoryEntry, SkippedEntry } from '../history/entry';
import type { HistoryFilter } from '../history/filter';

export const CHECK_MESSAGE = 'check';
/** Sent when a reply field is first focused: compile the pack and load the NLP before typing. */
export const WARM_MESSAGE = 'warm';
/** Sent once when the content script starts: does the policy let ReplyGuard run on this page? */
export const SITE_MESSAGE = 'site';

/** Content script -> background: check this draft against the active pack. */
export interface CheckRequest {
  type: typeof CHECK_MESSAGE;
  text: string;
}

export interface WarmRequest {
  type: typeof WARM_MESSAGE;
}

export interface SiteRequest {
  type: typeof SITE_MESSAGE;
}

/** Background -> content script: what the organisation's policy decides for the sender's page. */
export interface SiteSettings {
  /** False on a blocklisted site (or one missing from an allowlist): no checks at all. */
  enabled: boolean;
  /** Per severity: may the writer "Post anyway" past a finding of it. */
  allowOverride: Record<Finding['severity'], boolean>;
}

/** Background -> content script. The draft never leaves the browser. */
export type CheckResponse = { ok: true; findings: Finding[] } | { ok: false; error: string };

/**
 * Content script -> background: something happened to a draft that had findings (shown or audit).
 * The history (review page) and the organisation's audit endpoint are built from these events.
 * The text stays on the machine: the background masks the flagged spans before storing it unless
 * the organisation's policy sets storeFullText.
 */
export const DRAFT_EVENT_MESSAGE = 'draft-event';

/**
 * - flagged: the submit guard stopped a post (warning/block findings shown to the writer);
 * - edited: the writer chose "Edit draft" in the guard dialog;
 * - posted-anyway: the writer chose "Post anyway" (with their reason, if asked for one);
 * - posted: a post went through with no shown flags (after an edit, or with audit-only findings);
 * - abandoned: a flagged draft was emptied, removed or left without being posted.
 */
export type DraftEventKind = 'flagged' | 'edited' | 'posted-anyway' | 'posted' | 'abandoned';

export interface DraftEvent {
  type: typeof DRAFT_EVENT_MESSAGE;
  /** Random per draft (one field, from its first finding until posted or abandoned): one history entry. */
  draftId: string;
  kind: DraftEventKind;
  /** The writer's reason for "Post anyway". */
  reason?: string;
  /** The draft at the time of the event. */
  text: string;
  /** Every finding at the time of the event, audit-mode ones included. */
  findings: Finding[];
  /** How the post was attempted, for flagged / posted-anyway / posted. */
  action?: 'click' | 'submit' | 'key';
  /** Milliseconds since the epoch, as the page's clock saw it. */
  at: number;
}

/** Who sent a message to the background, as the browser reports it (never what the page says). */
export interface MessageSender {
  /** The sending page (an about:blank or srcdoc frame is judged by its tab's page). */
  url?: string;
  tabId?: number;
  frameId?: number;
  /** The message came from one of the extension's own pages (popup, options, review). */
  fromExtension: boolean;
}

/**
 * One feature's message handler in the background: a promise of the reply for a message it
 * handles, undefined for any other message. entrypoints/background.ts asks each in turn.
 */
export type BackgroundHandler = (message: unknown, sender: MessageSender) => Promise<unknown> | undefined;

/** The `type` field of a message, if it has one. */
export function messageType(message: unknown): unknown {
  return typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
}

// ---- Policy viewer (policy.html): the active packs' policies, clauses and rules ----

/** Policy viewer -> background: every active pack's policy, as plain data. Extension pages only. */
export const POLICY_MESSAGE = 'policy';

export interface PolicyRequest {
  type: typeof POLICY_MESSAGE;
}

/** One rule as the policy viewer shows it (the pack's own words; no compiled matchers). */
export interface PolicyRuleView {
  id: string;
  kind: 'pattern' | 'phrase' | 'nlp' | 'near' | 'detector';
  category: Finding['category'];
  severity: Finding['severity'];
  /** audit: recorded for the organisation, never shown to the writer. */
  mode: Finding['mode'];
  /** false: the pack (or the rule) allows no "Post anyway" past this rule's finding. */
  allowOverride: boolean;
  /** With its "{match}" placeholder, as the pack wrote it. */
  message: string;
  suggestion?: string;
  fix?: { kind: 'redact' } | { kind: 'replace'; text: string };
  /** false: a building block that only counts inside the near rules listed in usedBy. */
  standalone: boolean;
  /** Near rules: the two rule ids it combines. */
  combines?: [string, string];
  /** Building blocks: the near rules (ids) that use this rule. */
  usedBy: string[];
  examples: { flag: string[]; pass: string[] };
}

export interface PolicyClauseView {
  id: string;
  title: string;
  summary: string;
  /** The real document the clause rests on. */
  source: string;
  /** The organisation's page for this clause (clause url, or the policy url + anchor), if any. */
  url: string | null;
  rules: PolicyRuleView[];
}

export interface PolicyPackView {
  id: string;
  name: string;
  version: string;
  publisher: string;
  description: string;
  source: 'builtin' | 'admin' | 'user';
  /** Where the pack came from: "built-in", a pack URL, "inline pack 1", a file name. */
  origin: string;
  /** Set by the organisation: cannot be turned off. */
  locked: boolean;
  /** The organisation runs the whole pack in audit mode. */
  audit: boolean;
  policy: { title: string; version: string; url: string | null; clauses: PolicyClauseView[] };
  /** Rule ids left out because an earlier pack defines them. */
  shadowed: string[];
}

/** Background -> policy viewer. problems: packs that could not be used, one plain sentence each. */
export type PolicyResponse = { ok: true; packs: PolicyPackView[]; problems: string[] } | { ok: false; error: string };

// ---- Review page (review.html): the flagged-draft history (src/history, src/background/history-host.ts) ----

/** Review page -> background: the history (filtered), its sites, the audit statistics. Extension pages only. */
export const HISTORY_LIST_MESSAGE = 'history-list';
/** Review page -> background: mark entries reviewed (or not). Extension pages only. */
export const HISTORY_REVIEW_MESSAGE = 'history-review';
/** Review page -> background: delete some entries, all, or the unreadable ones. Extension pages only. */
export const HISTORY_DELETE_MESSAGE = 'history-delete';
/** Review page -> background: the (filtered) history as CSV or JSON. Extension pages only. */
export const HISTORY_EXPORT_MESSAGE = 'history-export';

export interface HistoryListRequest {
  type: typeof HISTORY_LIST_MESSAGE;
  filter?: HistoryFilter;
}

export interface HistoryReviewRequest {
  type: typeof HISTORY_REVIEW_MESSAGE;
  ids: string[];
  reviewed: boolean;
}

export type HistoryDeleteRequest =
  | { type: typeof HISTORY_DELETE_MESSAGE; ids: string[] }
  | { type: typeof HISTORY_DELETE_MESSAGE; all: true }
  | { type: typeof HISTORY_DELETE_MESSAGE; unreadable: true };

export interface HistoryExportRequest {
  type: typeof HISTORY_EXPORT_MESSAGE;
  format: 'csv' | 'json';
  filter?: HistoryFilter;
}

/** Background -> review page, for list, review and delete requests. */
export type HistoryListResponse =
  | {
      ok: true;
      /** The entries the filter selects, newest first. */
      entries: HistoryEntry[];
      /** Entries in the whole history. */
      total: number;
      /** Stored entries that could not be read (skipped, never shown). */
      skipped: SkippedEntry[];
      /** Every site in the history, for the site filter. */
      sites: string[];
      /** Per audit-mode rule, over the filtered entries. */
      audit: AuditRuleStats[];
      /** The organisation's policy as it applies to the history. */
      retentionDays: number;
      storeFullText: boolean;
    }
  | { ok: false; error: string };

export type HistoryExportResponse = { ok: true; fileName: string; mimeType: string; content: string } | { ok: false; error: string };

// ---- Opening the policy viewer from a page (finding card, guard dialog) ----

/**
 * Content script -> background: open the built-in policy viewer at this clause in a new tab. A web
 * page cannot link to an extension page itself (policy.html is not web-accessible, on purpose).
 */
export const OPEN_CLAUSE_MESSAGE = 'open-clause';

export interface OpenClauseRequest {
  type: typeof OPEN_CLAUSE_MESSAGE;
  pack: string;
  clause: string;
}
