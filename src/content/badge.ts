/**
 * The badge at a field's corner: how many flags the draft has and the highest severity, or
 * "not checked" when the engine failed. It lives in its own <replyguard-badge> host with an open
 * shadow root appended to the document (never inside the editor, whose DOM it must not touch), so
 * page CSS cannot reach in and ours cannot leak out.
 *
 * Stable contract for tests and site admins: attributes data-count (number of flags),
 * data-severity (block | warning | none) and data-state (checking | checked | not-checked).
 */
import type { Finding } from '../engine/types';
import { flags, highestSeverity } from './findings';

export type CheckStatus = 'checking' | 'checked' | 'not-checked';

export interface BadgeState {
  status: CheckStatus;
  findings: readonly Finding[];
  /** The draft is empty: a clean empty field shows nothing. */
  empty: boolean;
}

const STYLE = `
:host { all: initial; }
.badge {
  display: inline-block; box-sizing: border-box; min-width: 18px; height: 18px; padding: 0 6px;
  border-radius: 9px; font: 600 11px/18px system-ui, -apple-system, "Segoe UI", sans-serif;
  text-align: center; white-space: nowrap; color: #fff; background: #15803d;
  box-shadow: 0 1px 2px rgba(0,0,0,.3); cursor: default; user-select: none;
}
.badge[data-severity="warning"] { background: #b45309; }
.badge[data-severity="block"] { background: #b91c1c; }
.badge[data-state="not-checked"] { background: #4b5563; }
.badge[data-state="checking"] { opacity: .75; }
`;

const INSET = 4;

export class Badge {
  readonly host: HTMLElement;
  private readonly pill: HTMLElement;
  private visible = false;

  constructor(private readonly field: HTMLElement) {
    const doc = field.ownerDocument;
    this.host = doc.createElement('replyguard-badge');
    // The host is positioned over the page, above everything, and never takes focus or clicks
    // meant for the field (only the pill itself is hoverable, for its tooltip).
    const s = this.host.style;
    s.setProperty('position', 'fixed', 'important');
    s.setProperty('z-index', '2147483646', 'important');
    s.setProperty('display', 'none', 'important');
    s.setProperty('pointer-events', 'none', 'important');
    const root = this.host.attachShadow({ mode: 'open' });
    const style = doc.createElement('style');
    style.textContent = STYLE;
    this.pill = doc.createElement('span');
    this.pill.className = 'badge';
    this.pill.setAttribute('role', 'status');
    this.pill.style.pointerEvents = 'auto';
    root.append(style, this.pill);
    this.container().append(this.host);
  }

  /** Where the host goes: the document, or an open modal <dialog> holding the field (top layer). */
  private container(): Element {
    const dialog = this.field.closest('dialog[open]');
    return dialog ?? this.field.ownerDocument.documentElement;
  }

  update(state: BadgeState): void {
    const shown = flags(state.findings);
    const severity = highestSeverity(shown);
    const count = String(shown.length);
    for (const [name, value] of [
      ['data-count', count],
      ['data-severity', severity],
      ['data-state', state.status],
    ] as const) {
      this.host.setAttribute(name, value);
      this.pill.setAttribute(name, value);
    }
    if (state.status === 'not-checked') {
      this.pill.textContent = 'not checked';
      this.pill.title = 'ReplyGuard could not check this draft. Posting is not blocked.';
      this.pill.setAttribute('aria-label', 'ReplyGuard: not checked');
    } else if (state.status === 'checked') {
      this.pill.textContent = shown.length ? `⚠ ${count}` : '✓';
      this.pill.title = shown.length
        ? shown.map((f) => `• ${f.message} (${f.clause.title})`).join('\n')
        : 'ReplyGuard: no policy issues found';
      this.pill.setAttribute(
        'aria-label',
        shown.length ? `ReplyGuard: ${count} policy ${shown.length === 1 ? 'issue' : 'issues'}, highest ${severity}` : 'ReplyGuard: no issues',
      );
    }
    this.visible = !(state.empty && shown.length === 0 && state.status !== 'not-checked');
    this.reposition();
  }

  /** Puts the badge at the field's bottom-right corner, or hides it if the field is not shown. */
  reposition(): void {
    const rect = this.field.getBoundingClientRect();
    const onScreen = this.field.isConnected && rect.width > 0 && rect.height > 0;
    const s = this.host.style;
    if (!this.visible || !onScreen) {
      s.setProperty('display', 'none', 'important');
      return;
    }
    s.setProperty('display', 'block', 'important');
    const width = this.pill.offsetWidth || 18;
    const height = this.pill.offsetHeight || 18;
    // Inside the bottom-right corner; a one-line field has no room there without covering the
    // text, so the badge sits just above its top-right corner instead (when that is on screen).
    const roomy = rect.height >= 2 * height + 2 * INSET;
    const top = roomy || rect.top < height + 2 ? rect.bottom - height - INSET : rect.top - height - 2;
    s.setProperty('left', `${Math.round(rect.right - width - INSET)}px`, 'important');
    s.setProperty('top', `${Math.round(top)}px`, 'important');
  }

  remove(): void {
    this.host.remove();
  }
}
