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

/** A text symbol per severity, for plain-text places (the pages draw SeverityIcon instead). */
export const SEVERITY_ICONS: Record<Severity, string> = {
  block: '⛔',
  warning: '⚠',
  info: 'ℹ',
};

/**
 * The icon beside a severity label, a different shape for each (octagon with a cross, triangle
 * with "!", circle with "i"), so severity reads by shape as well as by word and colour. Drawn in
 * SVG with currentColor: emoji fonts are missing on many machines. Hidden from screen readers
 * (the label says it).
 */
export function SeverityIcon({ severity }: { severity: Severity }) {
  const common = { fill: 'none', stroke: 'currentColor', 'stroke-width': 1.6, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' } as const;
  return (
    <svg class="rg-severity-icon" viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true" focusable="false" data-icon={severity}>
      {severity === 'block' && (
        <>
          <polygon points="5.2,1 10.8,1 15,5.2 15,10.8 10.8,15 5.2,15 1,10.8 1,5.2" {...common} />
          <path d="M5.5 5.5 10.5 10.5M10.5 5.5 5.5 10.5" {...common} />
        </>
      )}
      {severity === 'warning' && (
        <>
          <path d="M8 1.6 15 14.2H1Z" {...common} />
          <path d="M8 6v3.8" {...common} />
          <circle cx="8" cy="12" r="0.9" fill="currentColor" />
        </>
      )}
      {severity === 'info' && (
        <>
          <circle cx="8" cy="8" r="6.8" {...common} />
          <path d="M8 7.2v4.6" {...common} />
          <circle cx="8" cy="4.7" r="0.9" fill="currentColor" />
        </>
      )}
    </svg>
  );
}

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
      <SeverityIcon severity={severity} />
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
          <span class="rg-label">What to do: </span>
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
