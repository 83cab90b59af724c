/**
 * The card for one finding, opened by hovering or clicking its underline or by moving the caret
 * into it: the message, the category, the policy clause (linked), the suggestion, and the quick
 * fixes — the pack's replacement wording, redact, ignore once. A <replyguard-card> host with an
 * open shadow root. Pressing a button never takes focus from the field (the caret stays put);
 * keyboard users reach the buttons with Alt+ArrowDown from the field and leave with Escape.
 */
import { CATEGORY_LABELS } from '../engine/categories';
import type { Finding } from '../engine/types';
import { clauseLink } from './clause-link';
import type { Box } from './underlines';

export const REDACTED = '[redacted]';

export interface CardAction {
  /** The button's accessible name. */
  label: string;
  run(): void;
}

export interface FixCard {
  host: HTMLElement;
  finding: Finding;
  /** Moves keyboard focus to the first button. */
  focus(): void;
  contains(node: Node | null): boolean;
  close(): void;
}

const STYLE = `
:host { all: initial; }
.card {
  box-sizing: border-box; width: max-content; max-width: min(360px, calc(100vw - 16px)); padding: 10px 12px;
  background: #fff; color: #111827; border: 1px solid #d1d5db; border-left: 4px solid #d97706; border-radius: 8px;
  box-shadow: 0 6px 24px rgba(0,0,0,.18); font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
}
.card[data-severity="block"] { border-left-color: #dc2626; }
.meta { font-size: 12px; color: #4b5563; margin-top: 2px; }
.hint { margin-top: 6px; }
a, .link { color: #1d4ed8; }
.link { font: inherit; padding: 0; border: 0; background: none; text-decoration: underline; cursor: pointer; }
.actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
button {
  font: 600 12px/1 system-ui, sans-serif; padding: 6px 10px; border-radius: 5px; cursor: pointer;
  border: 1px solid #9ca3af; background: #fff; color: #111827;
}
button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
button:focus-visible { outline: 3px solid #93c5fd; outline-offset: 1px; }
`;

/** Where a card goes: under the flagged words, or above them near the bottom of the window. */
function place(host: HTMLElement, anchor: Box, win: Window): void {
  const height = host.offsetHeight || 120;
  const below = anchor.top + anchor.height + 4;
  let top = below + height > win.innerHeight && anchor.top - height - 4 > 0 ? anchor.top - height - 4 : below;
  // Always wholly inside the window (a small iframe may have room neither below nor above).
  top = Math.max(4, Math.min(top, win.innerHeight - height - 4));
  const left = Math.max(8, Math.min(anchor.left, win.innerWidth - (host.offsetWidth || 300) - 8));
  host.style.setProperty('left', `${Math.round(left)}px`, 'important');
  host.style.setProperty('top', `${Math.round(top)}px`, 'important');
}

export function openFixCard(doc: Document, finding: Finding, anchor: Box, actions: CardAction[], onClose: () => void): FixCard {
  const host = doc.createElement('replyguard-card');
  host.style.setProperty('position', 'fixed', 'important');
  host.style.setProperty('z-index', '2147483646', 'important');
  const root = host.attachShadow({ mode: 'open' });
  const card = doc.createElement('div');
  card.className = 'card';
  card.dataset.severity = finding.severity;
  card.dataset.rule = finding.rule;
  card.setAttribute('role', 'group');
  card.setAttribute('aria-label', 'ReplyGuard suggestion');

  const message = doc.createElement('div');
  message.textContent = finding.message;
  const meta = doc.createElement('div');
  meta.className = 'meta';
  meta.append(`${finding.severity === 'block' ? 'Must fix' : finding.severity === 'warning' ? 'Warning' : 'Note'} · ${CATEGORY_LABELS[finding.category] ?? finding.category} · `);
  meta.append(clauseLink(doc, finding));
  card.append(message, meta);
  if (finding.suggestion?.text) {
    const hint = doc.createElement('div');
    hint.className = 'hint';
    hint.textContent = finding.suggestion.text;
    card.append(hint);
  }
  const row = doc.createElement('div');
  row.className = 'actions';
  actions.forEach((action, i) => {
    const button = doc.createElement('button');
    button.type = 'button';
    button.textContent = action.label;
    if (i === 0) button.className = 'primary';
    // Keep the focus (and caret) in the field when the button is pressed with the mouse.
    button.addEventListener('mousedown', (e) => e.preventDefault());
    button.addEventListener('click', () => action.run());
    row.append(button);
  });
  card.append(row);
  const style = doc.createElement('style');
  style.textContent = STYLE;
  root.append(style, card);

  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    host.remove();
    onClose();
  };
  root.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  // The page's own handlers (hotkeys, click-outside-to-close) never see the card's events.
  for (const type of ['keydown', 'keyup', 'keypress', 'click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'focusin', 'focusout']) {
    host.addEventListener(type, (e) => e.stopPropagation());
  }
  doc.documentElement.append(host);
  place(host, anchor, doc.defaultView!);
  return {
    host,
    finding,
    focus: () => root.querySelector('button')?.focus(),
    contains: (node) => !!node && (node === host || host.contains(node) || root.contains(node)),
    close,
  };
}
