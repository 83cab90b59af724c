/**
 * The policy viewer's sections: a pack (who publishes it, its version, where it comes from), each
 * of its clauses, and the rules enforcing a clause with their examples. Pack text is rendered as
 * text nodes only, never as HTML.
 */
import { Fragment, type ComponentChildren } from 'preact';
import type { PolicyPackView, PolicyRuleView } from '../../background/protocol';
import { clauseFragment } from '../clause-link';
import { categoryLabel, SeverityLabel } from '../finding-item';
import { clauseElementId, plural, type ShownClause, type ShownPack, type ShownRule } from './policy-data';

export const SOURCE_LABELS: Record<PolicyPackView['source'], string> = {
  builtin: 'Built into ReplyGuard',
  admin: 'Set by your organisation',
  user: 'Added by you',
};

/** A link out of the extension to a policy page: opens in a new tab and says so. */
function ExternalLink({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
      <span class="rg-visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

/** The message as the pack wrote it, with "{match}" shown as a placeholder for the flagged words. */
export function RuleMessage({ message }: { message: string }) {
  const parts = message.split('{match}');
  return (
    <p class="rg-message policy-rule-message">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <span class="policy-placeholder">the flagged words</span>}
          {part}
        </Fragment>
      ))}
    </p>
  );
}

function Examples({ rule, open }: { rule: PolicyRuleView; open: boolean }) {
  const { flag, pass } = rule.examples;
  if (flag.length === 0 && pass.length === 0) return null;
  return (
    <details class="policy-examples" open={open}>
      <summary>
        Examples: {flag.length} flagged, {pass.length} left alone
      </summary>
      <div class="policy-example-lists">
        {flag.length > 0 && (
          <div class="policy-example-group" data-kind="flag">
            <p class="policy-example-heading">
              <span aria-hidden="true">✗ </span>Flagged
            </p>
            <ul data-testid="examples-flag">
              {flag.map((text, i) => (
                <li key={i}>{text}</li>
              ))}
            </ul>
          </div>
        )}
        {pass.length > 0 && (
          <div class="policy-example-group" data-kind="pass">
            <p class="policy-example-heading">
              <span aria-hidden="true">✓ </span>Left alone
            </p>
            <ul data-testid="examples-pass">
              {pass.map((text, i) => (
                <li key={i}>{text}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </details>
  );
}

function IdList({ ids }: { ids: readonly string[] }) {
  return (
    <>
      {ids.map((id, i) => (
        <Fragment key={id}>
          {i > 0 && (i === ids.length - 1 ? ' and ' : ', ')}
          <code>{id}</code>
        </Fragment>
      ))}
    </>
  );
}

export function RuleItem({ shown }: { shown: ShownRule }) {
  const { rule } = shown;
  return (
    <li class="policy-rule" data-rule={rule.id} data-severity={rule.standalone ? rule.severity : undefined}>
      <p class="policy-rule-head">
        {rule.standalone ? (
          <SeverityLabel severity={rule.severity} />
        ) : (
          <span class="policy-tag">Building block</span>
        )}
        <span class="rg-category">{categoryLabel(rule.category)}</span>
        {rule.mode === 'audit' && (
          <span class="policy-tag policy-audit" data-testid="audit">
            Audit only: recorded for your organisation, not shown to the writer
          </span>
        )}
        {rule.standalone && !rule.allowOverride && (
          <span class="policy-tag" data-testid="no-override">
            No "Post anyway": the draft must be changed
          </span>
        )}
        <code class="policy-rule-id">{rule.id}</code>
      </p>
      <RuleMessage message={rule.message} />
      {rule.suggestion !== undefined && (
        <p data-testid="suggestion">
          <span class="rg-label">Instead: </span>
          {rule.suggestion}
        </p>
      )}
      {rule.fix && (
        <p data-testid="fix">
          <span class="rg-label">Quick fix: </span>
          {rule.fix.kind === 'replace' ? (
            <>
              replace the flagged words with <span class="rg-suggestion-text">{rule.fix.text}</span>
            </>
          ) : (
            'remove the flagged words'
          )}
        </p>
      )}
      {rule.combines && (
        <p class="policy-note" data-testid="combines">
          Flags a draft where <IdList ids={rule.combines} /> match close together.
        </p>
      )}
      {!rule.standalone && (
        <p class="policy-note" data-testid="used-by">
          Never reported on its own; counts only inside {rule.usedBy.length > 0 ? <IdList ids={rule.usedBy} /> : 'no rule in this pack'}.
        </p>
      )}
      <Examples rule={rule} open={shown.examplesMatch} />
    </li>
  );
}

export function ClauseSection({ packId, shown, filtering }: { packId: string; shown: ShownClause; filtering: boolean }) {
  const { clause, rules } = shown;
  const id = clauseElementId(packId, clause.id);
  const headingId = `${id}-title`;
  const reported = rules.filter((r) => r.rule.standalone);
  const blocks = rules.filter((r) => !r.rule.standalone);
  const total = clause.rules.length;
  return (
    <section id={id} class="policy-clause" tabIndex={-1} aria-labelledby={headingId} data-clause={clause.id}>
      <h3 id={headingId}>{clause.title}</h3>
      <p class="policy-clause-summary">{clause.summary}</p>
      <p class="policy-clause-source">
        <span class="rg-label">Based on: </span>
        {clause.source}
      </p>
      {clause.url && (
        <p>
          <ExternalLink href={clause.url}>Read this clause in the full policy</ExternalLink>
        </p>
      )}
      <h4>
        {total === 0
          ? 'No rule checks this clause yet'
          : filtering
            ? `Rules that check this clause (${rules.length} of ${total} shown)`
            : `Rules that check this clause (${total})`}
      </h4>
      {reported.length > 0 && (
        <ul class="policy-rules">
          {reported.map((r) => (
            <RuleItem key={r.rule.id} shown={r} />
          ))}
        </ul>
      )}
      {blocks.length > 0 && (
        <>
          <p class="policy-note">
            Building blocks: parts that other rules combine (for example "a court case" near "an opinion about it"). They are never
            reported on their own.
          </p>
          <ul class="policy-rules">
            {blocks.map((r) => (
              <RuleItem key={r.rule.id} shown={r} />
            ))}
          </ul>
        </>
      )}
      <p class="policy-back">
        <a href="#contents">Back to contents</a>
      </p>
    </section>
  );
}

export function PackSection({ shown, filtering }: { shown: ShownPack; filtering: boolean }) {
  const { pack, clauses } = shown;
  const headingId = `pack-${pack.id}`;
  const ruleTotal = pack.policy.clauses.reduce((n, c) => n + c.rules.length, 0);
  return (
    <section class="policy-pack" aria-labelledby={headingId} data-pack={pack.id}>
      <h2 id={headingId}>{pack.policy.title}</h2>
      {pack.description && <p class="policy-pack-description">{pack.description}</p>}
      <dl class="policy-pack-meta" data-testid="pack-meta">
        <div>
          <dt>Pack</dt>
          <dd>{pack.name}</dd>
        </div>
        <div>
          <dt>Publisher</dt>
          <dd data-testid="publisher">{pack.publisher}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd data-testid="version">{pack.version}</dd>
        </div>
        <div>
          <dt>Policy version</dt>
          <dd>{pack.policy.version}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd data-testid="source">
            {SOURCE_LABELS[pack.source]}
            {pack.source !== 'builtin' && (
              <>
                {' '}
                (<span class="policy-origin">{pack.origin}</span>)
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Locked</dt>
          <dd data-testid="locked">{pack.locked ? 'Yes: your organisation requires it, it cannot be turned off' : 'No'}</dd>
        </div>
        <div>
          <dt>Rules</dt>
          <dd>
            {plural(ruleTotal, 'rule')} in {plural(pack.policy.clauses.length, 'clause')}
          </dd>
        </div>
        {pack.policy.url && (
          <div>
            <dt>Full policy</dt>
            <dd>
              <ExternalLink href={pack.policy.url}>{pack.policy.title}</ExternalLink>
            </dd>
          </div>
        )}
      </dl>
      {pack.audit && (
        <p class="policy-notice" data-testid="pack-audit">
          Your organisation runs this whole pack in audit mode: what it finds is recorded for them, not shown to you.
        </p>
      )}
      {pack.shadowed.length > 0 && (
        <p class="policy-note" data-testid="shadowed">
          Not used here because an earlier pack has a rule with the same id: <IdList ids={pack.shadowed} />.
        </p>
      )}
      {clauses.map((c) => (
        <ClauseSection key={c.clause.id} packId={pack.id} shown={c} filtering={filtering} />
      ))}
    </section>
  );
}

/** The table of contents: every active pack's clauses (unfiltered, so every deep link is here). */
export function Contents({ packs, onFollow }: { packs: readonly PolicyPackView[]; onFollow(target: string): void }) {
  return (
    <nav id="contents" class="policy-contents" aria-labelledby="contents-title" tabIndex={-1}>
      <h2 id="contents-title">Contents</h2>
      {packs.map((pack) => (
        <div key={pack.id} class="policy-contents-pack">
          <p class="policy-contents-pack-title">
            {pack.policy.title} <span class="policy-muted">({pack.name})</span>
          </p>
          <ol>
            {pack.policy.clauses.map((clause) => {
              const target = clauseElementId(pack.id, clause.id);
              return (
                <li key={clause.id}>
                  <a href={`#${clauseFragment(pack.id, clause.id)}`} onClick={() => onFollow(target)}>
                    {clause.title}
                  </a>{' '}
                  <span class="policy-muted">({plural(clause.rules.length, 'rule')})</span>
                </li>
              );
            })}
          </ol>
        </div>
      ))}
    </nav>
  );
}
