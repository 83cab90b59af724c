/**
 * Outcome records for the review page's history (issue 3 item 7): the content script's half.
 *
 * A draft is followed from its first finding at a submission — the guard stopped it (flagged), or
 * it went through with findings the writer was not shown (audit-mode rules, warnings ignored
 * once) — under a random draftId, until it is posted or given up. Every step is one DraftEvent to
 * the background, which keeps one history entry per draftId (src/background/history-host.ts).
 *
 * Abandoned drafts: the page reports what it can see — the field emptied (checked a second after
 * the last keystroke), the field removed from the page, or the page left (pagehide). What it
 * cannot see is the background's job: a tab closed (a closing page may not get its message out),
 * the browser restarted, or no event for 12 hours.
 *
 * Kept small: this is part of the script injected into every page.
 */
import { DRAFT_EVENT_MESSAGE, type DraftEvent, type DraftEventKind } from '../background/protocol';
import type { FieldSession } from './field-session';
import type { GuardOutcome } from './guard-submit';

export interface DraftEvents {
  outcome(outcome: GuardOutcome): void;
  /** The user typed in a field: an emptied draft is abandoned. */
  typed(session: FieldSession): void;
  /** The field left the page. */
  removed(session: FieldSession): void;
  stop(): void;
}

/** How long after the last keystroke an empty field counts as abandoned. */
const EMPTIED_MS = 1000;

const randomId = (): string => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

export function draftEvents(send: (event: DraftEvent) => Promise<unknown>, win: Window, newId = randomId): DraftEvents {
  const ids = new Map<FieldSession, string>();
  const timers = new Map<FieldSession, number>();
  /** The text each field's last recorded draft ended with: one click posts twice (click, submit). */
  const ended = new WeakMap<FieldSession, string>();

  const emit = (session: FieldSession, kind: DraftEventKind, extra?: Pick<DraftEvent, 'action' | 'reason'>) => {
    const draftId = ids.get(session);
    if (!draftId) return;
    const last = session.last;
    if (kind !== 'flagged' && kind !== 'edited') {
      ids.delete(session);
      ended.set(session, last?.text ?? '');
    }
    send({ type: DRAFT_EVENT_MESSAGE, draftId, kind, text: last?.text ?? '', findings: last?.findings ?? [], at: Date.now(), ...extra }).catch(() => undefined);
  };

  const onPageHide = () => {
    for (const session of [...ids.keys()]) emit(session, 'abandoned');
  };
  win.addEventListener('pagehide', onPageHide);

  return {
    outcome(o) {
      for (const session of o.sessions) {
        if (!ids.has(session)) {
          // Only a stopped post, or a post with unshown warning/block findings, starts a record.
          const unshownOrFlagged = session.last?.findings.some((f) => f.severity !== 'info');
          if (!unshownOrFlagged || (o.outcome !== 'flagged' && o.outcome !== 'posted')) continue;
          if (o.outcome === 'posted' && ended.get(session) === session.last?.text) continue;
          ids.set(session, newId());
        }
        emit(session, o.outcome, o.reason ? { action: o.action, reason: o.reason } : { action: o.action });
      }
    },
    typed(session) {
      if (!ids.has(session)) return;
      win.clearTimeout(timers.get(session));
      timers.set(
        session,
        win.setTimeout(() => {
          timers.delete(session);
          if (!session.currentText().trim()) emit(session, 'abandoned');
        }, EMPTIED_MS),
      );
    },
    removed(session) {
      emit(session, 'abandoned');
    },
    stop() {
      win.removeEventListener('pagehide', onPageHide);
      for (const t of timers.values()) win.clearTimeout(t);
    },
  };
}
