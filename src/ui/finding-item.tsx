/**
 * One finding as the extension pages show it (popup, settings' "try a draft", review page):
 * severity (text + icon, never colour alone), category, the excerpt with the flagged words marked,
 * the message, the suggested wording, and the policy clause as a link (clauseHref).
 *
 * Pack text (messages, clause titles, suggestions) is rendered as text nodes, never as HTML.
 * Styles: src/ui/theme.css (.rg-finding and friends), which the page imports.
 */
import type { ComponentChildren } from 'preact';
import { CATEGORY_LABELS } from '../engine/categories';
import type { Finding } from '../engine/types';
import { clauseHref, isExternalClauseLink } from './clause-link';

export type Severity = Finding['severity'];

/** The words a person reads for each severity (the same as the in-page card and dialog). */
export const SEVERITY_LABELS: Record<Severity, string> = {
  block: 'Must fix',
  warning: 'Warning',
  info: 'Note',
};

/** An icon beside the label, so severity also reads by shape; hidden from screen readers. */
export const SEVERITY_ICONS: Record<Severity, string> = {
  block: '⛔',
  warning: '⚠',
  info: 'ℹ',
};

/** Plural headings for findings grouped by severity. */
export const SEVERITY_GROUP_LABELS: Record<Severity, string> = {
  block: 'Must fix before posting',
  warning: 'Warnings',
  info: 'Notes',
};

export function categoryLabel(category: Finding['category']): string {
  return CATEGORY_LABELS[category] ?? category;
}

export function SeverityLabel({ severity }: { severity: Severity }) {
  return (
    <span class="rg-severity" data-severity={severity}>
      <span class="rg-severity-icon" aria-hidden="true">
        {SEVERITY_ICONS[severity]}
      </span>
      {SEVERITY_LABELS[severity]}
    </span>
  );
}

export interface ExcerptParts {
  /** Context before the flagged words ('…' in front when cut). */
  before: string;
  flagged: string;
  /** Context after the flagged words ('…' after when cut). */
  after: string;
}

/**
 * The flagged words with up to `radius` characters of the draft either side, cut at a word
 * boundary, whitespace runs (line breaks too) shown as one space. Without the draft (or when the
 * offsets no longer fit it) just the flagged words.
 */
export function excerptParts(finding: Pick<Finding, 'excerpt' | 'start' | 'end'>, draft?: string, radius = 48): ExcerptParts {
  const squash = (s: string) => s.replace(/\s+/g, ' ');
  if (draft === undefined || draft.slice(finding.start, finding.end) !== finding.excerpt) {
    return { before: '', flagged: squash(finding.excerpt), after: '' };
  }
  let from = Math.max(0, finding.start - radius);
  let to = Math.min(draft.length, finding.end + radius);
  // Do not start or end in the middle of a word.
  if (from > 0 && !/\s/.test(draft[from - 1]!)) {
    const space = draft.slice(from, finding.start).search(/\s/);
    from = space === -1 ? finding.start : from + space + 1;
  }
  if (to < draft.length && !/\s/.test(draft[to]!)) {
    const tail = draft.slice(finding.end, to);
    const space = tail.search(/\s\S*$/);
    to = space === -1 ? finding.end : finding.end + space;
  }
  const before = squash(draft.slice(from, finding.start)).trimStart();
  const after = squash(draft.slice(finding.end, to)).trimEnd();
  return {
    before: (from > 0 ? '…' : '') + before,
    flagged: squash(finding.excerpt),
    after: after + (to < draft.length ? '…' : ''),
  };
}

export interface FindingItemProps {
  finding: Finding;
  /** The draft the finding's offsets are into: the excerpt then shows the words around it. */
  draft?: string;
  /** Actions for this finding (buttons), shown under it. */
  children?: ComponentChildren;
  /** runtime.getURL, for the policy viewer link (tests; pages leave it out). */
  getURL?: (path: string) => string;
  /** Extra class names for the outer element. */
  class?: string;
}

export function FindingItem({ finding, draft, children, getURL, class: extraClass }: FindingItemProps) {
  const parts = excerptParts(finding, draft);
  const suggestion = finding.suggestion;
  const external = isExternalClauseLink(finding);
  return (
    <article
      class={extraClass ? `rg-finding ${extraClass}` : 'rg-finding'}
      data-severity={finding.severity}
      data-rule={finding.rule}
      data-category={finding.category}
      aria-label={`${SEVERITY_LABELS[finding.severity]}: ${categoryLabel(finding.category)}`}
    >
      <p class="rg-finding-head">
        <SeverityLabel severity={finding.severity} />
        <span class="rg-category">{categoryLabel(finding.category)}</span>
      </p>
      <blockquote class="rg-excerpt" data-testid="excerpt">
        {parts.before}
        <mark class="rg-flagged">{parts.flagged}</mark>
        {parts.after}
      </blockquote>
      <p class="rg-message">{finding.message}</p>
      {suggestion?.replacement !== undefined && (
        <p class="rg-suggestion" data-testid="replacement">
          <span class="rg-label">Suggested wording: </span>
          <span class="rg-suggestion-text">{suggestion.replacement}</span>
        </p>
      )}
      {suggestion?.text !== undefined && (
        <p class="rg-suggestion" data-testid="suggestion">
          <span class="rg-label">Instead: </span>
          {suggestion.text}
        </p>
      )}
      <p class="rg-clause">
        <span class="rg-label">Policy: </span>
        <a
          href={clauseHref(finding, getURL)}
          target="_blank"
          rel={external ? 'noopener noreferrer' : undefined}
          data-testid="clause-link"
        >
          {finding.clause.title}
          {external && <span class="rg-visually-hidden"> (your organisation's policy, opens in a new tab)</span>}
        </a>
      </p>
      {children !== undefined && <div class="rg-finding-actions">{children}</div>}
    </article>
  );
}
