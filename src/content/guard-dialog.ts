/**
 * The dialog shown when a risky draft is submitted: the findings with their policy clauses and two
 * choices, "Edit draft" and "Post anyway". A <replyguard-guard> host with an open shadow root, so
 * page CSS cannot restyle it and tests can reach inside.
 */
import { CATEGORY_LABELS } from '../engine/categories';
import type { Finding } from '../engine/types';
import { clauseLink } from './clause-link';

export interface GuardDialogOptions {
  findings: readonly Finding[];
  onEdit(): void;
  /**
   * Absent where the organisation's policy forbids posting past these findings. Gets the writer's
   * short reason, when they gave one (it goes into their history with the post).
   */
  onPostAnyway?: (reason?: string) => void;
}

/** The longest reason kept: a short note, not a second draft. */
export const MAX_REASON_LENGTH = 300;

export interface GuardDialog {
  host: HTMLElement;
  close(): void;
}

const STYLE = `
:host { all: initial; }
.backdrop {
  position: fixed; inset: 0; background: rgba(17, 24, 39, .45);
  display: flex; align-items: center; justify-content: center;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827;
}
.panel {
  box-sizing: border-box; width: min(520px, calc(100vw - 32px)); max-height: calc(100vh - 32px); overflow: auto;
  background: #fff; border-radius: 10px; padding: 20px 22px; box-shadow: 0 12px 40px rgba(0,0,0,.35);
}
h2 { font-size: 17px; margin: 0 0 6px; }
p { margin: 0 0 12px; }
ul { list-style: none; margin: 0 0 16px; padding: 0; }
li { border-left: 4px solid #b45309; padding: 6px 10px; margin: 0 0 8px; background: #fffbeb; }
li[data-severity="block"] { border-color: #b91c1c; background: #fef2f2; }
.meta { font-size: 12px; color: #4b5563; }
.excerpt { font-family: ui-monospace, monospace; background: rgba(0,0,0,.06); padding: 0 3px; border-radius: 3px; }
a, .link { color: #1d4ed8; }
.link { font: inherit; padding: 0; border: 0; background: none; text-decoration: underline; cursor: pointer; }
.reason { display: block; margin: 0 0 14px; font-size: 13px; }
.reason input {
  box-sizing: border-box; width: 100%; margin-top: 4px; font: 14px/1.4 system-ui, sans-serif;
  padding: 7px 9px; border: 1px solid #9ca3af; border-radius: 6px; color: #111827; background: #fff;
}
.reason input:focus-visible, .link:focus-visible, a:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }
.actions { display: flex; gap: 10px; justify-content: flex-end; }
button {
  font: 600 14px/1 system-ui, sans-serif; padding: 9px 14px; border-radius: 6px; cursor: pointer;
  border: 1px solid #9ca3af; background: #fff; color: #111827;
}
button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
button:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }
`;

/** Events that must not reach the page's own handlers (site hotkeys, click-outside-to-close). */
const CONTAINED_EVENTS = ['keydown', 'keyup', 'keypress', 'click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'focusin', 'focusout', 'input'];

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, attrs: Record<string, string> = {}, text?: string) {
  const node = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function findingItem(doc: Document, f: Finding): HTMLLIElement {
  const li = el(doc, 'li', { 'data-severity': f.severity, 'data-rule': f.rule });
  const message = el(doc, 'div', {}, f.message);
  const meta = el(doc, 'div', { class: 'meta' });
  meta.append(`${f.severity === 'block' ? 'Must fix' : 'Warning'} · ${CATEGORY_LABELS[f.category] ?? f.category} · `);
  meta.append(el(doc, 'span', { class: 'excerpt' }, f.excerpt), ' · ');
  meta.append(clauseLink(doc, f));
  li.append(message, meta);
  return li;
}

export function openGuardDialog(doc: Document, options: GuardDialogOptions): GuardDialog {
  const host = doc.createElement('replyguard-guard');
  host.style.setProperty('position', 'fixed', 'important');
  host.style.setProperty('inset', '0', 'important');
  host.style.setProperty('z-index', '2147483647', 'important');
  const root = host.attachShadow({ mode: 'open' });

  const count = options.findings.length;
  const backdrop = el(doc, 'div', { class: 'backdrop' });
  const panel = el(doc, 'div', {
    class: 'panel',
    role: 'dialog',
    'aria-modal': 'true',
    'aria-labelledby': 'rg-title',
    'aria-describedby': 'rg-summary',
  });
  const list = el(doc, 'ul');
  for (const f of options.findings) list.append(findingItem(doc, f));
  const edit = el(doc, 'button', { type: 'button', class: 'primary', 'data-action': 'edit' }, 'Edit draft');
  const actions = el(doc, 'div', { class: 'actions' });
  const post = options.onPostAnyway
    ? el(doc, 'button', { type: 'button', 'data-action': 'post-anyway' }, 'Post anyway')
    : null;
  if (post) actions.append(post);
  actions.append(edit);
  // Asked, not required: a reviewer reading the history later wants the writer's reason.
  const reason = post ? el(doc, 'input', { type: 'text', id: 'rg-reason', maxlength: String(MAX_REASON_LENGTH), autocomplete: 'off' }) : null;
  const reasonLabel = reason ? el(doc, 'label', { class: 'reason', for: 'rg-reason' }, 'If you post anyway, say why (optional, kept in your history):') : null;
  if (reasonLabel && reason) reasonLabel.append(reason);
  panel.append(
    el(doc, 'h2', { id: 'rg-title' }, 'Check this reply before posting'),
    el(
      doc,
      'p',
      { id: 'rg-summary' },
      `ReplyGuard found ${count === 1 ? 'an issue' : `${count} issues`} with your organisation's social media policy. Your draft has not been changed.` +
        (post ? '' : ' Your organisation does not allow posting this without changes.'),
    ),
    list,
    ...(reasonLabel ? [reasonLabel] : []),
    actions,
  );
  backdrop.append(panel);
  const style = el(doc, 'style', {}, STYLE);
  root.append(style, backdrop);

  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    host.remove();
  };
  const choose = (action: () => void) => () => {
    close();
    action();
  };
  edit.addEventListener('click', choose(options.onEdit));
  const postAnyway = options.onPostAnyway;
  if (post && postAnyway) {
    post.addEventListener('click', () => {
      const text = reason?.value.trim().slice(0, MAX_REASON_LENGTH);
      choose(() => postAnyway(text || undefined))();
    });
  }

  root.addEventListener('keydown', (event) => {
    const e = event as KeyboardEvent;
    if (e.key === 'Enter' && e.composedPath()[0] === reason) {
      // Enter in the reason field means "Post anyway", never a submit of the page's form.
      e.preventDefault();
      post?.click();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      choose(options.onEdit)();
    } else if (e.key === 'Tab') {
      // Keep keyboard focus inside the dialog while it is open.
      const focusable = Array.from(root.querySelectorAll<HTMLElement>('a[href], button, input'));
      const i = focusable.indexOf(root.activeElement as HTMLElement);
      const next = e.shiftKey ? (i <= 0 ? focusable.length - 1 : i - 1) : (i + 1) % focusable.length;
      e.preventDefault();
      focusable[next]?.focus();
    }
  });
  for (const type of CONTAINED_EVENTS) host.addEventListener(type, (e) => e.stopPropagation());

  doc.documentElement.append(host);
  edit.focus();
  return { host, close };
}
