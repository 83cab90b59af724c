/**
 * The policy viewer (policy.html): every active pack's policy, one section per clause, each with
 * the rules that enforce it and their examples. Deep links: policy.html#<pack>/<clause> scrolls
 * to that clause's section (element id `${packId}/${clauseId}`) and focuses it, on load and on
 * every hashchange; clause links in the popup, the in-page card and the review page land here.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PolicyPackView } from '../../background/protocol';
import type { Category } from '../../engine/categories';
import { categoryLabel } from '../finding-item';
import {
  applyFilter,
  categoriesUsed,
  clauseOfTarget,
  hashTarget,
  isFiltering,
  loadPolicy,
  NO_FILTER,
  plural,
  type PolicyFilter,
  type SendMessage,
} from './policy-data';
import { Contents, PackSection } from './policy-sections';

type LoadState =
  | { kind: 'loading' }
  | { kind: 'error'; error: string }
  | { kind: 'ready'; packs: PolicyPackView[]; problems: string[] };

/** Typing waits this long before the (large) rule list is filtered again. */
const FILTER_DELAY_MS = 150;
/** After this long without the policy, the loading message says why. */
const SLOW_LOAD_MS = 2000;

export interface PolicyViewerProps {
  /** browser.runtime.sendMessage (tests pass a fake background). */
  send: SendMessage;
}

/** Scrolls to and focuses the element a deep link names. */
function focusTarget(element: HTMLElement): void {
  element.scrollIntoView({ block: 'start' });
  element.focus({ preventScroll: true });
}

function MissingTarget({ target }: { target: string }) {
  const clause = clauseOfTarget(target);
  return (
    <p class="policy-notice" role="alert" data-testid="missing-target">
      {clause
        ? `The link you followed is for clause "${clause.clauseId}" of pack "${clause.packId}", which is not in the policy ReplyGuard is using now. It may have been renamed or removed; the whole policy is below.`
        : `The link you followed points to "${target}", which is not on this page. The whole policy is below.`}
    </p>
  );
}

function FilterForm({
  packs,
  words,
  category,
  onWords,
  onCategory,
  onClear,
}: {
  packs: readonly PolicyPackView[];
  words: string;
  category: PolicyFilter['category'];
  onWords(words: string): void;
  onCategory(category: PolicyFilter['category']): void;
  onClear(): void;
}) {
  const categories = useMemo(() => categoriesUsed(packs), [packs]);
  return (
    <form role="search" class="policy-filter" aria-label="Find rules" onSubmit={(e) => e.preventDefault()}>
      <div class="policy-field">
        <label for="policy-words">Find rules by words</label>
        <input
          id="policy-words"
          type="search"
          value={words}
          autocomplete="off"
          spellcheck={false}
          aria-describedby="policy-words-hint"
          onInput={(e) => onWords(e.currentTarget.value)}
        />
        <span id="policy-words-hint" class="policy-muted">
          For example: password, court, election, refund
        </span>
      </div>
      <div class="policy-field">
        <label for="policy-category">Category</label>
        <select id="policy-category" value={category} onChange={(e) => onCategory(e.currentTarget.value as Category | '')}>
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </select>
      </div>
      {(words !== '' || category !== '') && (
        <button type="button" class="rg-button" onClick={onClear}>
          Show all rules
        </button>
      )}
    </form>
  );
}

export function PolicyViewer({ send }: PolicyViewerProps) {
  const [state, setState] = useState<LoadState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // What the reader typed (the input), and the filter applied to the list a moment later.
  const [words, setWords] = useState('');
  const [filter, setFilter] = useState<PolicyFilter>(NO_FILTER);
  // The deep link to honour: a new object for every hashchange (or contents click), so following
  // the same link twice scrolls again.
  const [focusRequest, setFocusRequest] = useState<{ target: string } | null>(() => {
    const target = hashTarget(location.hash);
    return target ? { target } : null;
  });
  const handledRequest = useRef<{ target: string } | null>(null);
  const [missing, setMissing] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setState({ kind: 'loading' });
    void loadPolicy(send).then((reply) => {
      if (!current) return;
      setState(reply.ok ? { kind: 'ready', packs: reply.packs, problems: reply.problems } : { kind: 'error', error: reply.error });
    });
    return () => {
      current = false;
    };
  }, [send, attempt]);

  const requestFocus = useCallback((target: string) => setFocusRequest({ target }), []);

  useEffect(() => {
    const onHashChange = () => {
      const target = hashTarget(location.hash);
      if (target) requestFocus(target);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [requestFocus]);

  // Apply typed words after a short pause; the category applies at once.
  useEffect(() => {
    if (words === filter.words) return;
    const timer = setTimeout(() => setFilter((f) => ({ ...f, words })), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [words, filter.words]);

  // Honour the deep link once the sections are on the page.
  useEffect(() => {
    if (state.kind !== 'ready' || !focusRequest || handledRequest.current === focusRequest) return;
    const element = document.getElementById(focusRequest.target);
    if (!element && isFiltering(filter)) {
      // The filter hides the clause the reader asked for: show everything, then try again.
      setWords('');
      setFilter(NO_FILTER);
      return;
    }
    handledRequest.current = focusRequest;
    setMissing(element ? null : focusRequest.target);
    if (element) focusTarget(element);
  }, [state, focusRequest, filter]);

  const result = useMemo(() => (state.kind === 'ready' ? applyFilter(state.packs, filter) : null), [state, filter]);
  // The sections are thousands of elements: built once per filter, so typing (which re-renders
  // the search box) does not diff them again. Preact skips a component whose element is unchanged.
  const sections = useMemo(
    () => result?.packs.map((shown) => <PackSection key={shown.pack.id} shown={shown} filtering={isFiltering(filter)} />),
    [result, filter],
  );
  const contents = useMemo(
    () => (state.kind === 'ready' ? <Contents packs={state.packs} onFollow={requestFocus} /> : null),
    [state, requestFocus],
  );
  // A service worker that has just started compiles the rules first: say why the wait is long.
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (state.kind !== 'loading') return;
    setSlow(false);
    const timer = setTimeout(() => setSlow(true), SLOW_LOAD_MS);
    return () => clearTimeout(timer);
  }, [state.kind, attempt]);

  const clearFilter = () => {
    setWords('');
    setFilter(NO_FILTER);
  };

  let body;
  if (state.kind === 'loading') {
    body = (
      <p role="status" class="policy-status" data-testid="loading">
        {slow ? 'Loading the policy… ReplyGuard is still preparing its rules; this takes a few seconds after the browser starts.' : 'Loading the policy…'}
      </p>
    );
  } else if (state.kind === 'error') {
    body = (
      <div class="policy-notice" role="alert" data-testid="load-error">
        <p>The policy could not be shown: {state.error}</p>
        <p>
          <button type="button" class="rg-button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </p>
      </div>
    );
  } else {
    const filtering = isFiltering(filter);
    const totalRules = state.packs.reduce((n, p) => n + p.policy.clauses.reduce((m, c) => m + c.rules.length, 0), 0);
    const totalClauses = state.packs.reduce((n, p) => n + p.policy.clauses.length, 0);
    body = (
      <>
        {state.problems.length > 0 && (
          <div class="policy-notice" data-testid="problems">
            <p>Some policy packs could not be used, so their rules are not checked:</p>
            <ul>
              {state.problems.map((problem, i) => (
                <li key={i}>{problem}</li>
              ))}
            </ul>
          </div>
        )}
        {missing && <MissingTarget target={missing} />}
        {state.packs.length === 0 ? (
          <p class="policy-notice" data-testid="no-packs">
            No policy pack is in use, so ReplyGuard is not checking your replies. Your organisation may have turned the built-in
            pack off; ask whoever looks after ReplyGuard for you.
          </p>
        ) : (
          <>
            <FilterForm
              packs={state.packs}
              words={words}
              category={filter.category}
              onWords={setWords}
              onCategory={(category) => setFilter((f) => ({ ...f, category }))}
              onClear={clearFilter}
            />
            <p role="status" aria-live="polite" class="policy-status" data-testid="filter-status">
              {!filtering
                ? `${plural(state.packs.length, 'policy', 'policies')}, ${plural(totalClauses, 'clause')}, ${plural(totalRules, 'rule')}.`
                : result!.ruleCount === 0 && result!.clauseCount === 0
                  ? 'No rule matches. Try fewer words or another category.'
                  : `Showing ${plural(result!.ruleCount, 'rule')} in ${plural(result!.clauseCount, 'clause')} (of ${totalRules}).`}
            </p>
            {contents}
            {sections}
          </>
        )}
      </>
    );
  }

  return (
    <div class="policy-page">
      <header class="policy-header">
        <h1>Your social media policy</h1>
        <p>
          ReplyGuard checks your replies against these rules before you post. Each section is one clause of the policy, with
          the rules that check it and examples of what they flag and leave alone.
        </p>
      </header>
      <main aria-busy={state.kind === 'loading'}>{body}</main>
    </div>
  );
}
