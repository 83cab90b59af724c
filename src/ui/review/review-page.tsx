/**
 * The review page (review.html): the history of flagged drafts kept on this browser — time, site,
 * findings, what the writer did — with filters, mark as reviewed, export to CSV / JSON, delete
 * one or all, the audit-mode statistics, and a report of stored entries that could not be read.
 *
 * All data comes from the background's history host (src/background/history-host.ts); the page
 * only renders what it is sent and asks for changes. Keyboard-only use works throughout: every
 * control is a native form control or button, confirmations move focus to themselves and back,
 * and results are announced in a polite live region. Controls are not disabled while a request
 * runs: a focused control that becomes disabled drops keyboard focus to the page. The background
 * applies requests one at a time, so a second click is harmless.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import {
  HISTORY_DELETE_MESSAGE,
  HISTORY_EXPORT_MESSAGE,
  HISTORY_LIST_MESSAGE,
  HISTORY_REVIEW_MESSAGE,
  type HistoryExportResponse,
  type HistoryListResponse,
} from '../../background/protocol';
import { CATEGORIES, CATEGORY_LABELS } from '../../engine/categories';
import { OUTCOME_LABELS, OUTCOMES, type HistoryEntry } from '../../history/entry';
import { dayBound, type HistoryFilter } from '../../history/filter';
import { AuditTable } from './audit-table';
import { EntryCard } from './entry-card';
import { plural } from './format';

export interface ReviewPageProps {
  /** browser.runtime.sendMessage in the extension; a stand-in in tests. */
  send(message: unknown): Promise<unknown>;
  /** Saves an export as a file (default: a blob URL and a download link). */
  download?(fileName: string, mimeType: string, content: string): void;
  /**
   * Calls listener whenever the stored history changes (a draft flagged in another tab while this
   * page is open); returns a function that stops it. Optional: without it the page shows what it
   * loaded.
   */
  onHistoryChange?(listener: () => void): () => void;
}

/** The filter form's values, as the inputs hold them. */
export interface FilterValues {
  from: string;
  to: string;
  site: string;
  category: string;
  outcome: string;
  reviewed: '' | 'yes' | 'no';
}

export const NO_FILTER: FilterValues = { from: '', to: '', site: '', category: '', outcome: '', reviewed: '' };

/** The form's values as the history filter (empty inputs filter nothing). */
export function toFilter(values: FilterValues): HistoryFilter {
  const filter: HistoryFilter = {};
  const from = dayBound(values.from, 'start');
  const to = dayBound(values.to, 'end');
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  if (values.site) filter.site = values.site;
  if ((CATEGORIES as readonly string[]).includes(values.category)) filter.category = values.category as HistoryFilter['category'];
  if ((OUTCOMES as readonly string[]).includes(values.outcome)) filter.outcome = values.outcome as HistoryFilter['outcome'];
  if (values.reviewed) filter.reviewed = values.reviewed === 'yes';
  return filter;
}

function downloadFile(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by now; free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

type Listed = Extract<HistoryListResponse, { ok: true }>;

function isListed(value: unknown): value is HistoryListResponse {
  return typeof value === 'object' && value !== null && 'ok' in value;
}

export function ReviewPage({ send, download = downloadFile, onHistoryChange }: ReviewPageProps) {
  const [values, setValues] = useState<FilterValues>(NO_FILTER);
  const [data, setData] = useState<Listed | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [confirmAll, setConfirmAll] = useState(false);
  const confirmAllRef = useRef<HTMLButtonElement>(null);
  const deleteAllRef = useRef<HTMLButtonElement>(null);
  // Where focus goes when the entry it was on is deleted.
  const listTitleRef = useRef<HTMLHeadingElement>(null);
  const filter = toFilter(values);
  const filterKey = JSON.stringify(filter);

  /** Sends a request that answers with the list; shows the list or the error. */
  const request = useCallback(
    async (message: Record<string, unknown>, done?: (listed: Listed) => string): Promise<void> => {
      setBusy(true);
      try {
        const reply = await send({ ...message, filter: JSON.parse(filterKey) as HistoryFilter });
        if (!isListed(reply)) throw new Error('no answer from ReplyGuard’s background');
        if (!reply.ok) throw new Error(reply.error);
        setData(reply);
        setError(null);
        if (done) setAnnouncement(done(reply));
      } catch (e) {
        setError(`The history could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        setBusy(false);
      }
    },
    [send, filterKey],
  );

  useEffect(() => {
    void request({ type: HISTORY_LIST_MESSAGE }, (listed) => `Showing ${plural(listed.entries.length, 'draft')}.`);
  }, [request]);

  // Live: new drafts and outcomes appear without a reload (quietly: no announcement).
  useEffect(() => onHistoryChange?.(() => void request({ type: HISTORY_LIST_MESSAGE })), [onHistoryChange, request]);

  useEffect(() => {
    if (confirmAll) confirmAllRef.current?.focus();
  }, [confirmAll]);

  const set = (key: keyof FilterValues) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    setValues((current) => ({ ...current, [key]: value }));
  };

  const markReviewed = (entry: HistoryEntry, reviewed: boolean) => {
    // Shown at once (the checkbox must not flick back while the background stores it).
    setData((d) => d && { ...d, entries: d.entries.map((e) => (e.id === entry.id ? { ...e, reviewed } : e)) });
    return request({ type: HISTORY_REVIEW_MESSAGE, ids: [entry.id], reviewed }, () => (reviewed ? 'Marked as reviewed.' : 'Marked as not reviewed.'));
  };

  const remove = async (entry: HistoryEntry) => {
    await request({ type: HISTORY_DELETE_MESSAGE, ids: [entry.id] }, () => 'Deleted the draft from the history.');
    listTitleRef.current?.focus();
  };

  const removeAll = async () => {
    setConfirmAll(false);
    await request({ type: HISTORY_DELETE_MESSAGE, all: true }, () => 'Deleted the whole history.');
    listTitleRef.current?.focus();
  };

  const removeUnreadable = () => request({ type: HISTORY_DELETE_MESSAGE, unreadable: true }, () => 'Removed the entries that could not be read.');

  const exportAs = async (format: 'csv' | 'json') => {
    setBusy(true);
    try {
      const reply = (await send({ type: HISTORY_EXPORT_MESSAGE, format, filter })) as HistoryExportResponse | undefined;
      if (!reply || !reply.ok) throw new Error(reply?.error ?? 'no answer from ReplyGuard’s background');
      download(reply.fileName, reply.mimeType, reply.content);
      setAnnouncement(`Exported ${plural(data?.entries.length ?? 0, 'draft')} as ${format.toUpperCase()} (${reply.fileName}).`);
      setError(null);
    } catch (e) {
      setError(`The export failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const entries = data?.entries ?? [];
  const filtered = filterKey !== '{}';

  return (
    <main class="review" aria-busy={busy && !data ? 'true' : 'false'}>
      <header class="review-header">
        <h1>Flagged drafts</h1>
        <p>
          Replies that ReplyGuard stopped before posting on this browser, or that were posted with findings the writer was not shown, and what happened
          next. Nothing here leaves this computer unless you export it.
        </p>
        {data && (
          <p class="review-policy" data-testid="policy-note">
            {data.retentionDays > 0 ? `Entries are deleted after ${plural(data.retentionDays, 'day')}.` : 'Your organisation’s policy keeps no history.'}{' '}
            {data.storeFullText
              ? 'Your organisation’s policy keeps the full text of drafts.'
              : 'The flagged words in each draft are masked before it is stored.'}
          </p>
        )}
      </header>

      <p role="status" aria-live="polite" class="rg-visually-hidden" data-testid="announcer">
        {announcement}
      </p>
      {error && (
        <p role="alert" class="review-error">
          {error}
        </p>
      )}

      {data && data.skipped.length > 0 && (
        <section class="review-skipped" aria-labelledby="skipped-title" data-testid="skipped-report">
          <h2 id="skipped-title">
            {plural(data.skipped.length, 'saved entry', 'saved entries')} could not be read
          </h2>
          <p>They are not shown below. They may come from another version of ReplyGuard, or the stored data was damaged.</p>
          <details>
            <summary>What is wrong with them</summary>
            <ul>
              {data.skipped.map((s) => (
                <li key={`${s.index}`}>
                  Entry {s.index + 1}
                  {s.id ? ` (${s.id})` : ''}: {s.problem}
                </li>
              ))}
            </ul>
          </details>
          <button type="button" class="rg-button" onClick={() => void removeUnreadable()}>
            Remove the unreadable entries
          </button>
        </section>
      )}

      <section class="review-filters" aria-labelledby="filters-title">
        <h2 id="filters-title">Filters</h2>
        <form class="review-filter-form" onSubmit={(e) => e.preventDefault()}>
          <label>
            From
            <input type="date" name="from" value={values.from} onInput={set('from')} onChange={set('from')} />
          </label>
          <label>
            To
            <input type="date" name="to" value={values.to} onInput={set('to')} onChange={set('to')} />
          </label>
          <label>
            Site
            <select name="site" value={values.site} onChange={set('site')}>
              <option value="">All sites</option>
              {(data?.sites ?? []).map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Category
            <select name="category" value={values.category} onChange={set('category')}>
              <option value="">All categories</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABELS[c]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Outcome
            <select name="outcome" value={values.outcome} onChange={set('outcome')}>
              <option value="">All outcomes</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {OUTCOME_LABELS[o]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Reviewed
            <select name="reviewed" value={values.reviewed} onChange={set('reviewed')}>
              <option value="">Reviewed or not</option>
              <option value="no">Not reviewed yet</option>
              <option value="yes">Reviewed</option>
            </select>
          </label>
          <button type="button" class="rg-button" disabled={!filtered} onClick={() => setValues(NO_FILTER)}>
            Clear filters
          </button>
        </form>
      </section>

      <section class="review-list" aria-labelledby="list-title">
        <div class="review-list-head">
          <h2 id="list-title" tabIndex={-1} ref={listTitleRef}>
            Drafts
          </h2>
          <p class="review-count" data-testid="count">
            {data ? (filtered ? `${plural(entries.length, 'draft')} ${entries.length === 1 ? 'matches' : 'match'} the filters, of ${data.total}.` : `${plural(data.total, 'draft')}.`) : 'Loading…'}
          </p>
          <div class="review-toolbar">
            <button type="button" class="rg-button" disabled={!entries.length} onClick={() => void exportAs('csv')}>
              Export CSV
            </button>
            <button type="button" class="rg-button" disabled={!entries.length} onClick={() => void exportAs('json')}>
              Export JSON
            </button>
            {confirmAll ? (
              <div class="review-confirm" role="group" aria-label="Confirm deleting the whole history">
                <span>Delete all {plural(data?.total ?? 0, 'draft')}, whatever the filters? This cannot be undone.</span>
                <button type="button" class="rg-button review-danger" ref={confirmAllRef} onClick={() => void removeAll()}>
                  Yes, delete everything
                </button>
                <button
                  type="button"
                  class="rg-button"
                  onClick={() => {
                    setConfirmAll(false);
                    setTimeout(() => deleteAllRef.current?.focus(), 0);
                  }}
                >
                  Cancel
                </button>
              </div>
            ) : (
              <button type="button" class="rg-button" ref={deleteAllRef} disabled={!data?.total} onClick={() => setConfirmAll(true)}>
                Delete all…
              </button>
            )}
          </div>
        </div>
        {data && !entries.length && (
          <p class="review-empty" data-testid="empty">
            {data.total
              ? 'No draft matches these filters.'
              : 'No flagged drafts yet. When ReplyGuard stops a reply before it is posted, it appears here with what the writer did next.'}
          </p>
        )}
        <div class="review-entries">
          {entries.map((entry) => (
            <EntryCard key={entry.id} entry={entry} onReviewed={(e, r) => void markReviewed(e, r)} onDelete={(e) => void remove(e)} />
          ))}
        </div>
      </section>

      <section class="review-audit" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit-mode rules</h2>
        <p class="review-muted">
          Rules in audit mode are checked and recorded but never shown to the writer. This shows how often each would have flagged a draft{filtered ? ' (in the drafts matching the filters)' : ''}, so
          you can judge it before enforcing it.
        </p>
        <AuditTable stats={data?.audit ?? []} />
      </section>
    </main>
  );
}
