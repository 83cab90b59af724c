/**
 * The history host: the background side of the flagged-draft history.
 *
 * - Draft events from content scripts (DRAFT_EVENT_MESSAGE) become history entries, one per
 *   draftId (src/history/fold.ts). The site is the sender's page as the browser reports it, never
 *   what the message says; the draft is masked before it is stored unless the organisation's
 *   managed policy sets storeFullText; entries expire after its historyRetentionDays (default 90).
 * - Every valid event also goes to the listeners registered with onDraftEvent (the audit endpoint),
 *   whatever the history keeps.
 * - The review page's requests (list, mark reviewed, delete, export) are answered only for the
 *   extension's own pages.
 * - A draft still open (flagged, or being edited) when its tab closes or the browser restarts is
 *   marked abandoned here: the page cannot always report that itself.
 */
import { browser } from 'wxt/browser';
import { readManagedPolicy } from '../admin/read-managed';
import { auditStats } from '../history/audit-stats';
import { DEFAULT_RETENTION_DAYS, type HistoryEntry } from '../history/entry';
import { exportFileName, toCsv, toJson } from '../history/export';
import { filterEntries, HistoryFilterSchema, sitesOf, type HistoryFilter } from '../history/filter';
import { abandonOpen, DraftEventSchema, foldEvent, siteOf, sweep, type CheckedDraftEvent } from '../history/fold';
import { createHistoryStore, type HistoryRead, type HistoryStore } from '../history/store';
import {
  DRAFT_EVENT_MESSAGE,
  HISTORY_DELETE_MESSAGE,
  HISTORY_EXPORT_MESSAGE,
  HISTORY_LIST_MESSAGE,
  HISTORY_REVIEW_MESSAGE,
  messageType,
  type BackgroundHandler,
  type HistoryExportResponse,
  type HistoryListResponse,
  type MessageSender,
} from './protocol';

/** The part of the managed policy the history follows. */
export interface HistoryPolicy {
  historyRetentionDays: number;
  storeFullText: boolean;
}

/** A valid draft event with the sender the browser reported (for the audit endpoint). */
export type DraftEventListener = (event: CheckedDraftEvent, sender: MessageSender) => void;

const listeners = new Set<DraftEventListener>();

/**
 * Calls listener with every valid draft event from a content script, with its sender (the page URL
 * is sender.url). Returns a function that stops it. The event carries the full draft: a listener
 * that sends anything off the machine must mask it (src/history/mask.ts) unless storeFullText.
 */
export function onDraftEvent(listener: DraftEventListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export interface HistoryHostOptions {
  store?: HistoryStore;
  policy?: () => Promise<HistoryPolicy>;
  now?: () => number;
  /** Where tab closes and browser start-ups are heard; default: the browser's own events. */
  events?: {
    onTabRemoved?(listener: (tabId: number) => void): void;
    onStartup?(listener: () => void): void;
  };
}

export interface HistoryHost {
  handle: BackgroundHandler;
  /** Marks the drafts still open in a tab abandoned (the tab closed). */
  tabClosed(tabId: number): Promise<void>;
  /** Marks every open draft abandoned (the browser restarted: their pages are gone). */
  browserStarted(): Promise<void>;
}

const fail = (error: string) => Promise.resolve({ ok: false as const, error });

async function defaultPolicy(): Promise<HistoryPolicy> {
  const { policy } = await readManagedPolicy(browser.storage);
  return { historyRetentionDays: policy.historyRetentionDays, storeFullText: policy.storeFullText };
}

function browserEvents(): NonNullable<HistoryHostOptions['events']> {
  return {
    onTabRemoved: (listener) => browser.tabs?.onRemoved?.addListener((tabId) => listener(tabId)),
    onStartup: (listener) => browser.runtime?.onStartup?.addListener(listener),
  };
}

function parseFilter(value: unknown): HistoryFilter | string {
  if (value === undefined) return {};
  const parsed = HistoryFilterSchema.safeParse(value);
  return parsed.success ? parsed.data : `history: invalid filter (${parsed.error.issues[0]?.path.join('.') || 'filter'}: ${parsed.error.issues[0]?.message})`;
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
}

export function createHistoryHost(options: HistoryHostOptions = {}): HistoryHost {
  const store = options.store ?? createHistoryStore();
  const policy = async (): Promise<HistoryPolicy> => {
    try {
      return await (options.policy ?? defaultPolicy)();
    } catch {
      // Policy trouble must not lose the history or store full text: the defaults apply.
      return { historyRetentionDays: DEFAULT_RETENTION_DAYS, storeFullText: false };
    }
  };
  const now = options.now ?? Date.now;

  /** Expiry and stale drafts, written back so storage never holds what the policy says to drop. */
  const swept = async (): Promise<HistoryRead> => {
    const { historyRetentionDays } = await policy();
    return store.update((entries) => {
      const next = sweep(entries, now(), historyRetentionDays);
      const same = next.length === entries.length && next.every((e, i) => e === entries[i]);
      return same ? null : next;
    });
  };

  const record = async (event: CheckedDraftEvent, sender: MessageSender): Promise<{ ok: true; recorded: boolean }> => {
    const site = siteOf(sender.url);
    if (!site) return { ok: true, recorded: false };
    const { historyRetentionDays, storeFullText } = await policy();
    let recorded = false;
    await store.update((entries) => {
      const at = now();
      const index = entries.findIndex((e) => e.id === event.draftId);
      const entry = foldEvent(index >= 0 ? entries[index] : undefined, event, { now: at, site, tabId: sender.tabId, fullText: storeFullText });
      if (!entry) return null;
      recorded = true;
      const next = index >= 0 ? entries.map((e, i) => (i === index ? entry : e)) : [entry, ...entries];
      return sweep(next, at, historyRetentionDays);
    });
    return { ok: true, recorded };
  };

  const list = async (filterValue: unknown): Promise<HistoryListResponse> => {
    const filter = parseFilter(filterValue);
    if (typeof filter === 'string') return { ok: false, error: filter };
    const [read, { historyRetentionDays, storeFullText }] = await Promise.all([swept(), policy()]);
    const entries = filterEntries(read.entries, filter);
    return {
      ok: true,
      entries,
      total: read.entries.length,
      skipped: read.skipped,
      sites: sitesOf(read.entries),
      audit: auditStats(entries),
      retentionDays: historyRetentionDays,
      storeFullText,
    };
  };

  const exportHistory = async (format: unknown, filterValue: unknown): Promise<HistoryExportResponse> => {
    if (format !== 'csv' && format !== 'json') return { ok: false, error: 'history: export format must be "csv" or "json"' };
    const filter = parseFilter(filterValue);
    if (typeof filter === 'string') return { ok: false, error: filter };
    const read = await swept();
    const entries = filterEntries(read.entries, filter);
    const at = now();
    return format === 'csv'
      ? { ok: true, fileName: exportFileName('csv', at), mimeType: 'text/csv;charset=utf-8', content: toCsv(entries) }
      : { ok: true, fileName: exportFileName('json', at), mimeType: 'application/json', content: toJson(entries, filter, at) };
  };

  const safely = <T>(work: () => Promise<T>): Promise<T | { ok: false; error: string }> =>
    work().catch((error: unknown) => ({ ok: false as const, error: `history: ${error instanceof Error ? error.message : String(error)}` }));

  const handle: BackgroundHandler = (message, sender) => {
    const type = messageType(message);
    const m = message as Record<string, unknown>;
    if (type === DRAFT_EVENT_MESSAGE) {
      // From content scripts: the extension's own pages have no drafts to report.
      if (sender.fromExtension) return fail('history: draft events come from pages, not extension pages');
      const parsed = DraftEventSchema.safeParse(message);
      if (!parsed.success) return fail(`history: invalid draft event (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
      for (const listener of listeners) {
        try {
          listener(parsed.data, sender);
        } catch (error) {
          console.warn('ReplyGuard: a draft-event listener failed', error);
        }
      }
      return safely(() => record(parsed.data, sender));
    }
    if (type !== HISTORY_LIST_MESSAGE && type !== HISTORY_REVIEW_MESSAGE && type !== HISTORY_DELETE_MESSAGE && type !== HISTORY_EXPORT_MESSAGE) {
      return undefined;
    }
    if (!sender.fromExtension) return fail('history: only the extension\'s own pages may read or change the history');
    if (type === HISTORY_LIST_MESSAGE) return safely(() => list(m.filter));
    if (type === HISTORY_EXPORT_MESSAGE) return safely(() => exportHistory(m.format, m.filter));
    if (type === HISTORY_REVIEW_MESSAGE) {
      const ids = stringList(m.ids);
      if (!ids || typeof m.reviewed !== 'boolean') return fail('history: mark reviewed needs "ids" (a list) and "reviewed" (true or false)');
      const wanted = new Set(ids);
      const reviewed = m.reviewed;
      return safely(async () => {
        const at = now();
        await store.update((entries) =>
          entries.map((e) => {
            if (!wanted.has(e.id)) return e;
            const { reviewedAt: _old, ...rest } = e;
            return reviewed ? { ...rest, reviewed: true, reviewedAt: at } : { ...rest, reviewed: false };
          }),
        );
        return list(m.filter);
      });
    }
    // HISTORY_DELETE_MESSAGE
    if (m.all === true) return safely(async () => (await store.clear(), list(m.filter)));
    if (m.unreadable === true) return safely(async () => (await store.dropUnreadable(), list(m.filter)));
    const ids = stringList(m.ids);
    if (!ids) return fail('history: delete needs "ids" (a list), "all: true" or "unreadable: true"');
    const doomed = new Set(ids);
    return safely(async () => {
      await store.update((entries) => entries.filter((e) => !doomed.has(e.id)));
      return list(m.filter);
    });
  };

  /**
   * Drafts the background itself marks abandoned (their tab closed, the browser restarted) are
   * told to the listeners too, so the audit endpoint hears of them as it hears of the ones a page
   * reports. The event carries no text and no findings: the draft's earlier events carried them.
   */
  const abandonWhere = async (mark: (entries: HistoryEntry[]) => HistoryEntry[]): Promise<void> => {
    const abandoned: HistoryEntry[] = [];
    await store.update((entries) => {
      const next = mark(entries);
      abandoned.length = 0;
      next.forEach((e, i) => e !== entries[i] && abandoned.push(e));
      return abandoned.length ? next : null;
    });
    for (const e of abandoned) {
      const event: CheckedDraftEvent = { type: DRAFT_EVENT_MESSAGE, draftId: e.id, kind: 'abandoned', text: '', findings: [], at: e.updatedAt };
      const sender: MessageSender = { url: e.site.page, fromExtension: false, ...(e.tabId !== undefined ? { tabId: e.tabId } : {}) };
      for (const listener of listeners) {
        try {
          listener(event, sender);
        } catch (error) {
          console.warn('ReplyGuard: a draft-event listener failed', error);
        }
      }
    }
  };
  const tabClosed = (tabId: number): Promise<void> => abandonWhere((entries) => abandonOpen(entries, now(), 'tab-closed', tabId));
  const browserStarted = (): Promise<void> => abandonWhere((entries) => abandonOpen(entries, now(), 'browser-restart'));

  const events = options.events ?? browserEvents();
  events.onTabRemoved?.((tabId) => void tabClosed(tabId).catch(() => undefined));
  events.onStartup?.(() => void browserStarted().catch(() => undefined));

  return { handle, tabClosed, browserStarted };
}
