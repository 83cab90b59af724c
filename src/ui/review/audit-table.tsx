/**
 * The audit statistics (issue 5, audit mode): how often each audit-mode rule would have fired, on
 * which sites and over which period, for the drafts the filters select. Administrators read it to
 * judge a rule's noise before enforcing it.
 */
import type { AuditRuleStats } from '../../history/audit-stats';
import { OUTCOME_LABELS, OUTCOMES } from '../../history/entry';
import { categoryLabel, SeverityLabel } from '../finding-item';
import { formatDay, isoTime, plural } from './format';

export function AuditTable({ stats }: { stats: AuditRuleStats[] }) {
  if (!stats.length) {
    return <p class="review-muted" data-testid="audit-empty">No audit-mode rule fired on the drafts shown. Rules your organisation is trialling in audit mode appear here with how often they would have flagged a draft.</p>;
  }
  return (
    <div class="review-table-wrap">
      <table class="review-audit-table" data-testid="audit-table">
        <caption class="rg-visually-hidden">Audit-mode rules and how often they would have flagged a draft</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Category and severity</th>
            <th scope="col">Would have flagged</th>
            <th scope="col">Sites</th>
            <th scope="col">Period</th>
            <th scope="col">What writers did</th>
          </tr>
        </thead>
        <tbody>
          {stats.map((s) => (
            <tr key={`${s.pack}/${s.rule}`} data-rule={s.rule}>
              <th scope="row">
                <code>{s.rule}</code>
                <div class="review-muted">{s.clause.title}</div>
              </th>
              <td data-severity={s.severity}>
                {categoryLabel(s.category)} <SeverityLabel severity={s.severity} />
              </td>
              <td data-testid="audit-drafts">{plural(s.drafts, 'draft')}</td>
              <td>
                <ul class="review-plain-list">
                  {s.sites.map((site) => (
                    <li key={site.host}>
                      {site.host} ({site.drafts})
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <time dateTime={isoTime(s.first)}>{formatDay(s.first)}</time>
                {formatDay(s.first) !== formatDay(s.last) && (
                  <>
                    {' to '}
                    <time dateTime={isoTime(s.last)}>{formatDay(s.last)}</time>
                  </>
                )}
              </td>
              <td>
                <ul class="review-plain-list">
                  {OUTCOMES.filter((o) => s.outcomes[o]).map((o) => (
                    <li key={o}>
                      {OUTCOME_LABELS[o]}: {s.outcomes[o]}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
