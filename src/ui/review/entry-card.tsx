/**
 * One history entry on the review page: when and where, what happened (outcome, reason), the
 * findings (category, severity, clause link, audit-only marker), the stored draft with its
 * redactions marked, and the entry's actions (mark reviewed, delete with confirmation).
 *
 * Everything stored came from pages and packs: rendered as text nodes, never as HTML.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FindingSummary, HistoryEntry } from '../../history/entry';
import { clauseHref, isExternalClauseLink } from '../clause-link';
import { categoryLabel, SeverityLabel } from '../finding-item';
import { formatTime, isoTime, outcomeDetail, outcomeLabel, redactionParts, STEP_LABELS } from './format';

export interface EntryCardProps {
  entry: HistoryEntry;
  onReviewed(entry: HistoryEntry, reviewed: boolean): void;
  onDelete(entry: HistoryEntry): void;
}

function FindingLine({ finding }: { finding: FindingSummary }) {
  const external = isExternalClauseLink({ pack: finding.pack, clause: finding.clause });
  return (
    <li class="review-finding" data-severity={finding.severity} data-mode={finding.mode} data-rule={finding.rule}>
      <SeverityLabel severity={finding.severity} />
      <span class="rg-category">{categoryLabel(finding.category)}</span>
      {finding.mode === 'audit' && (
        <span class="review-audit-tag" title="Audit mode: recorded for your organisation, never shown to the writer">
          Audit only
        </span>
      )}
      <span class="review-clause">
        Policy:{' '}
        <a href={clauseHref({ pack: finding.pack, clause: finding.clause })} target="_blank" rel="noopener noreferrer">
          {finding.clause.title}
          <span class="rg-visually-hidden">{external ? ' (your organisation’s policy, opens in a new tab)' : ' (opens in a new tab)'}</span>
        </a>
      </span>
      <code class="review-rule">{finding.rule}</code>
    </li>
  );
}

function DraftText({ entry }: { entry: HistoryEntry }) {
  if (!entry.text) return <p class="review-muted">No draft text was stored.</p>;
  return (
    <figure class="review-draft">
      <figcaption class="rg-label">{entry.fullText ? 'The draft (full text, as your organisation’s policy allows)' : 'The draft, flagged words masked'}</figcaption>
      <blockquote data-testid="entry-text">
        {redactionParts(entry.text).map((part, i) =>
          part.redacted ? (
            <mark key={i} class="review-redacted">
              {part.text}
            </mark>
          ) : (
            part.text
          ),
        )}
      </blockquote>
      {entry.truncated && <p class="review-muted">Only the beginning of a long draft is kept.</p>}
    </figure>
  );
}

export function EntryCard({ entry, onReviewed, onDelete }: EntryCardProps) {
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const headingId = `entry-${entry.id}-title`;
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  const cancel = () => {
    setConfirming(false);
    // Back to the button that asked, so keyboard users stay where they were.
    setTimeout(() => deleteRef.current?.focus(), 0);
  };

  return (
    <article class="review-entry" aria-labelledby={headingId} data-entry-id={entry.id} data-outcome={entry.outcome} data-reviewed={String(entry.reviewed)}>
      <header class="review-entry-head">
        <h3 id={headingId}>
          <time dateTime={isoTime(entry.createdAt)}>{formatTime(entry.createdAt)}</time>
          <span aria-hidden="true"> · </span>
          <span class="review-site" data-testid="entry-site">
            {entry.site.host}
          </span>
        </h3>
        <span class="review-outcome" data-outcome={entry.outcome} data-testid="entry-outcome">
          {outcomeLabel(entry)}
        </span>
        {entry.reviewed && (
          <span class="review-reviewed-tag">
            <span aria-hidden="true">✓ </span>Reviewed
          </span>
        )}
      </header>
      <p class="review-page-url">
        Page: <span class="review-url">{entry.site.page}</span>
      </p>
      <p class="review-outcome-detail" data-testid="entry-outcome-detail">
        {outcomeDetail(entry)}
      </p>
      {entry.outcome === 'posted-anyway' && entry.reason && (
        <blockquote class="review-reason" data-testid="entry-reason">
          {entry.reason}
        </blockquote>
      )}
      {entry.timeline.length > 1 && (
        <details class="review-timeline">
          <summary>What happened, step by step ({entry.timeline.length} steps)</summary>
          <ol data-testid="entry-timeline">
            {entry.timeline.map((step, i) => (
              <li key={i}>
                <time dateTime={isoTime(step.at)}>{formatTime(step.at)}</time>: {STEP_LABELS[step.kind]}
              </li>
            ))}
          </ol>
        </details>
      )}
      <h4 class="review-subhead">What ReplyGuard found</h4>
      <ul class="review-findings">
        {entry.findings.map((f) => (
          <FindingLine key={`${f.pack}/${f.rule}`} finding={f} />
        ))}
      </ul>
      <DraftText entry={entry} />
      <div class="review-entry-actions">
        <label class="review-check">
          <input type="checkbox" checked={entry.reviewed} onChange={(e) => onReviewed(entry, (e.currentTarget as HTMLInputElement).checked)} />
          Reviewed
        </label>
        {confirming ? (
          <div class="review-confirm" role="group" aria-label="Confirm deleting this draft">
            <span>Delete this draft from the history? This cannot be undone.</span>
            <button type="button" class="rg-button review-danger" onClick={() => onDelete(entry)}>
              Yes, delete it
            </button>
            <button type="button" class="rg-button" ref={cancelRef} onClick={cancel}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" class="rg-button" ref={deleteRef} onClick={() => setConfirming(true)}>
            Delete<span class="rg-visually-hidden"> this draft</span>
          </button>
        )}
      </div>
    </article>
  );
}
