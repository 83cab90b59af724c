/**
 * "Try a draft": the text goes to the background's check (the same packs and engine a reply field
 * gets), and the findings come back shown as the popup shows them, grouped by severity. Trial
 * (audit) findings are left out, as everywhere the writer looks. Nothing is stored.
 */
import { useRef, useState } from 'preact/hooks';
import type { CheckResponse } from '../../background/protocol';
import type { Finding } from '../../engine/types';
import { FindingItem, SEVERITY_GROUP_LABELS, SEVERITY_LABELS, type Severity } from '../finding-item';

const ORDER: Severity[] = ['block', 'warning', 'info'];

type DraftState =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'done'; text: string; findings: Finding[] }
  | { kind: 'failed'; error: string };

/** "2 things to look at: 1 must fix, 1 warning." */
export function findingsSummary(findings: readonly Finding[]): string {
  if (!findings.length) return 'Nothing to fix: ReplyGuard found no problems in this draft.';
  const parts = ORDER.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${SEVERITY_LABELS[s].toLowerCase()}`);
  return `${findings.length} thing${findings.length === 1 ? '' : 's'} to look at: ${parts.join(', ')}.`;
}

export interface TryDraftProps {
  check(text: string): Promise<CheckResponse>;
  getURL?: (path: string) => string;
}

export function TryDraft({ check, getURL }: TryDraftProps) {
  const [state, setState] = useState<DraftState>({ kind: 'idle' });
  // Only the latest check's answer is shown, however the answers arrive.
  const latest = useRef(0);

  const box = useRef<HTMLTextAreaElement>(null);

  const run = async () => {
    // The box itself, not state: a check asked for straight after typing sees every character.
    const text = box.current?.value ?? '';
    if (!text.trim()) {
      setState({ kind: 'failed', error: 'Type or paste a draft first.' });
      return;
    }
    const ticket = ++latest.current;
    const checked = text;
    setState({ kind: 'checking' });
    let reply: CheckResponse;
    try {
      reply = await check(checked);
    } catch (e) {
      reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    if (ticket !== latest.current) return;
    setState(
      reply.ok
        ? { kind: 'done', text: checked, findings: reply.findings.filter((f) => f.mode !== 'audit') }
        : { kind: 'failed', error: reply.error },
    );
  };

  const summary =
    state.kind === 'checking'
      ? 'Checking…'
      : state.kind === 'done'
        ? findingsSummary(state.findings)
        : state.kind === 'failed'
          ? state.error === 'Type or paste a draft first.'
            ? state.error
            : `The draft could not be checked: ${state.error}.`
          : '';

  return (
    <form
      class="rg-try"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <p>
        Paste or type a reply to see what ReplyGuard would flag, with the packs listed above. The text is checked inside
        your browser and is not saved.
      </p>
      <label class="rg-field-label" for="rg-draft">
        Draft
      </label>
      <textarea
        id="rg-draft"
        ref={box}
        rows={5}
        aria-describedby="rg-draft-hint"
        onKeyDown={(e) => {
          // Ctrl+Enter (Cmd+Enter) checks without leaving the text box.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void run();
          }
        }}
      />
      <p id="rg-draft-hint" class="rg-muted-text">
        Press Ctrl+Enter in the box, or the button, to check.
      </p>
      <button type="submit" class="rg-button rg-primary" disabled={state.kind === 'checking'}>
        Check draft
      </button>
      {/* Always present, so screen readers hear each new result (live regions must exist before they change). */}
      <p class="rg-try-summary" role="status" aria-live="polite" data-testid="draft-summary" data-state={state.kind}>
        {summary}
      </p>
      {state.kind === 'done' &&
        ORDER.map((severity) => {
          const group = state.findings.filter((f) => f.severity === severity);
          if (!group.length) return null;
          return (
            <section key={severity} class="rg-finding-group" data-severity={severity} aria-label={SEVERITY_GROUP_LABELS[severity]}>
              <h3>{SEVERITY_GROUP_LABELS[severity]}</h3>
              <ul class="rg-findings">
                {group.map((f) => (
                  <li key={`${f.rule}:${f.start}:${f.end}`}>
                    <FindingItem finding={f} draft={state.text} getURL={getURL} />
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
    </form>
  );
}
