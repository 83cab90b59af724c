/**
 * The submit guard. In the capture phase, before the page's own handlers, it looks at every action
 * that may post a reply — a click on the field's submit button (same form) or on the composer's
 * nearest submit-like button, a form submit (implicit or requestSubmit), Enter / Ctrl+Enter /
 * Cmd+Enter where the site posts on those keys — and, when the draft has warning or block
 * findings, stops it and shows the dialog. "Post anyway" replays that same action once.
 *
 * A clean, already-checked draft is never touched: the event goes on synchronously. A draft that
 * changed since its last check is held, checked, then either replayed (clean, or the engine
 * failed: fail-open) or stopped. The guard never writes into the field.
 */
import type { Finding } from '../engine/types';
import type { FieldSession } from './field-session';
import { flags } from './findings';
import { isInput, isTextarea } from './find-reply-fields';
import type { GuardDialog } from './guard-dialog';
import { currentUi, loadUi } from './ui';

export type ActionKind = 'click' | 'submit' | 'key';

export interface GuardOutcome {
  /**
   * flagged: the dialog opened; edited / posted-anyway: the writer's choice in it; posted: the
   * action went through with no flag to show (clean, audit-only or ignored findings).
   */
  outcome: 'flagged' | 'edited' | 'posted-anyway' | 'posted';
  action: ActionKind;
  /** The flags shown in the dialog (none for posted). */
  findings: Finding[];
  /** The reply fields whose drafts the action posts (src/content/draft-events.ts records them). */
  sessions: FieldSession[];
  /** The writer's reason for "Post anyway", when the dialog asked for one. */
  reason?: string;
}

export interface GuardHost {
  /** The session of the reply field a node is in (created on demand), or null. */
  sessionAt(node: Node): FieldSession | null;
  sessions(): Iterable<FieldSession>;
  /**
   * Sessions for the reply fields inside same-origin iframes within `container` (a TinyMCE-style
   * editor whose submit button is in the parent page). The frame's own content script draws
   * their badge; these sessions only check at submit time.
   */
  framedSessionsIn(container: Element): FieldSession[];
  /**
   * Whether the organisation lets the writer "Post anyway" past these findings (its policy's
   * allowOverride per severity). Default: yes.
   */
  overrideAllowed?(findings: readonly Finding[]): boolean;
}

type Action =
  | { kind: 'click'; trigger: HTMLElement }
  | { kind: 'submit'; form: HTMLFormElement; submitter: HTMLElement | null }
  | { kind: 'key'; target: HTMLElement; init: KeyboardEventInit; session: FieldSession };

/** Accessible names of buttons that post: "Post", "Reply", "Send", "Comment", "Tweet"… */
const SUBMIT_LABEL = /\b(post|posten|reply|respond|send|submit|comment|tweet|toot|publish|share|answer|save|update)\b/i;
/** …unless they clearly do something else ("Save draft", "Cancel", "Add emoji"). */
const NOT_SUBMIT_LABEL = /\b(cancel|discard|close|delete|remove|draft|preview|attach|emoji|gif|image|photo|upload|bold|italic|link|format|more|edit)\b/i;
/** How far up from a submit-like button to look for the composer's field. */
const COMPOSER_DEPTH = 10;
/** How long after "Post anyway" a follow-up of another kind (an async requestSubmit) may pass. */
const FOLLOW_UP_MS = 1000;

/** The parent across shadow boundaries, and from a same-origin iframe's document to its <iframe>. */
function composedParent(node: Node): Node | null {
  if (node.nodeType === Node.DOCUMENT_NODE) return (node as Document).defaultView?.frameElement ?? null;
  if (node.parentNode && node.parentNode.nodeType === Node.DOCUMENT_FRAGMENT_NODE) return (node.parentNode as ShadowRoot).host ?? null;
  return node.parentNode;
}

function composedContains(ancestor: Node, node: Node): boolean {
  for (let n: Node | null = node; n; n = composedParent(n)) if (n === ancestor) return true;
  return false;
}

function isOwnUi(path: EventTarget[]): boolean {
  return path.some((t) => (t as Element).localName?.startsWith('replyguard-'));
}

function labelOf(el: HTMLElement): string {
  return [
    el.getAttribute('aria-label'),
    el.textContent?.trim().slice(0, 60),
    (el as HTMLInputElement).value,
    el.getAttribute('title'),
    el.getAttribute('data-testid')?.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' '),
  ]
    .filter(Boolean)
    .join(' ');
}

function isSubmitButton(el: Element): el is HTMLButtonElement | HTMLInputElement {
  if (el.localName === 'button') return (el as HTMLButtonElement).type === 'submit';
  if (el.localName === 'input') return ['submit', 'image'].includes((el as HTMLInputElement).type);
  return false;
}

function isDisabled(el: HTMLElement): boolean {
  return (el as HTMLButtonElement).disabled === true || el.getAttribute('aria-disabled') === 'true';
}

/** The button-like element a click landed on, if any (the click may land on an icon inside). */
function clickedControl(path: EventTarget[]): HTMLElement | null {
  for (const t of path.slice(0, 8)) {
    const el = t as HTMLElement;
    if (el.nodeType !== Node.ELEMENT_NODE) continue;
    const name = el.localName;
    if (name === 'button' || name === 'input' || el.getAttribute('role') === 'button') return el;
    if (name === 'form' || name === 'body') return null;
  }
  return null;
}

function fieldForm(session: FieldSession): HTMLFormElement | null {
  const el = session.element;
  if (isTextarea(el) || isInput(el)) return el.form;
  let n: Node | null = el;
  while (n && (n as Element).localName !== 'form') n = composedParent(n);
  return (n as HTMLFormElement | null) ?? null;
}

interface SavedFocus {
  session: FieldSession;
  start?: number | null;
  end?: number | null;
  direction?: 'forward' | 'backward' | 'none' | null;
  range?: Range | null;
}

export class SubmitGuard {
  /** True while an allowed action is replayed: everything it triggers synchronously passes. */
  private passing = false;
  /** Events already decided by an outer listener (window sees composed events first). */
  private readonly seen = new WeakSet<Event>();
  private dialog: GuardDialog | null = null;
  private deciding = false;
  /** After an intercepted Enter keydown, its keypress / keyup must not reach the page either. */
  private swallowKeysOf: EventTarget | null = null;
  private followUp: { sessions: FieldSession[]; kind: ActionKind; until: number } | null = null;
  private readonly removers: Array<() => void> = [];

  constructor(
    private readonly doc: Document,
    private readonly host: GuardHost,
    private readonly onOutcome: (outcome: GuardOutcome) => void = () => {},
  ) {}

  /** Listens on a window, document or shadow root (closed roots hide events from the window). */
  listen(target: EventTarget): void {
    const add = (type: string, handler: (e: Event) => void) => {
      target.addEventListener(type, handler, true);
      this.removers.push(() => target.removeEventListener(type, handler, true));
    };
    add('click', (e) => this.onClick(e as MouseEvent));
    add('submit', (e) => this.onSubmit(e as SubmitEvent));
    add('keydown', (e) => this.onKeyDown(e as KeyboardEvent));
    add('keypress', (e) => this.onKeyFollow(e as KeyboardEvent));
    add('keyup', (e) => this.onKeyFollow(e as KeyboardEvent));
  }

  stop(): void {
    for (const remove of this.removers.splice(0)) remove();
    this.dialog?.close();
    this.dialog = null;
  }

  private onClick(e: MouseEvent): void {
    if (this.passing || this.seen.has(e) || e.button !== 0) return;
    const path = e.composedPath();
    if (isOwnUi(path)) return;
    const control = clickedControl(path);
    if (!control || isDisabled(control)) return;
    let sessions: FieldSession[];
    if (isSubmitButton(control) && control.form) {
      sessions = this.formSessions(control.form);
    } else {
      const label = labelOf(control);
      if (!SUBMIT_LABEL.test(label) || NOT_SUBMIT_LABEL.test(label)) return;
      sessions = this.composerSessions(control);
    }
    if (!sessions.length) return;
    this.seen.add(e);
    this.consider(e, { kind: 'click', trigger: control }, sessions);
  }

  private onSubmit(e: SubmitEvent): void {
    if (this.passing || this.seen.has(e)) return;
    const form = e.target as HTMLFormElement;
    if (form?.localName !== 'form') return;
    const sessions = this.formSessions(form);
    if (!sessions.length) return;
    this.seen.add(e);
    this.consider(e, { kind: 'submit', form, submitter: (e.submitter as HTMLElement | null) ?? null }, sessions);
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (this.passing || this.seen.has(e) || e.key !== 'Enter') return;
    // Never during IME composition: Enter there confirms the composed text.
    if (e.isComposing || e.keyCode === 229) return;
    if (e.shiftKey || e.altKey) return;
    const origin = e.composedPath()[0] as Node | undefined;
    if (!origin) return;
    const session = this.host.sessionAt(origin);
    if (!session) return;
    this.seen.add(e);
    const modified = e.ctrlKey || e.metaKey;
    if (!modified && session.field.kind !== 'input' && !session.postsOnEnter) {
      this.learnEnter(e, session);
      return;
    }
    const init: KeyboardEventInit = {
      key: e.key,
      code: e.code,
      keyCode: e.keyCode,
      which: e.which,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      bubbles: true,
      cancelable: true,
      composed: true,
    } as KeyboardEventInit;
    this.consider(e, { kind: 'key', target: origin as HTMLElement, init, session }, [session]);
  }

  private onKeyFollow(e: KeyboardEvent): void {
    if (this.passing || e.key !== 'Enter' || !this.swallowKeysOf) return;
    if (e.composedPath()[0] !== this.swallowKeysOf) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    if (e.type === 'keyup') this.swallowKeysOf = null;
  }

  /**
   * A site that handles a plain Enter itself (default prevented) and then empties or removes the
   * box has posted the draft: from now on Enter in this field is a submit action. Rich editors
   * prevent Enter too, but they insert a paragraph and keep the text, so they are never taken for
   * posting. Looked at twice: sites that clear the box only after the server answers.
   */
  private learnEnter(e: KeyboardEvent, session: FieldSession): void {
    if (!session.currentText().trim()) return;
    const look = () => {
      if (!e.defaultPrevented || session.postsOnEnter) return;
      if (!session.element.isConnected || session.currentText().trim() === '') session.postsOnEnter = true;
    };
    setTimeout(look, 0);
    setTimeout(look, 1000);
  }

  private formSessions(form: HTMLFormElement): FieldSession[] {
    const own = [...this.host.sessions()].filter((s) => s.element.isConnected && fieldForm(s) === form);
    return [...new Set([...own, ...this.host.framedSessionsIn(form)])];
  }

  /** Fields of the composer a submit-like button belongs to: the nearest ancestor holding a draft. */
  private composerSessions(control: HTMLElement): FieldSession[] {
    const candidates = [...this.host.sessions()].filter((s) => s.element.isConnected && s.currentText().trim() !== '');
    if (!candidates.length) return [];
    let ancestor: Node | null = composedParent(control);
    for (let depth = 0; ancestor && depth < COMPOSER_DEPTH; depth++, ancestor = composedParent(ancestor)) {
      // Up to the body at most (a composer in its own iframe is the whole body), never the
      // whole document.
      const name = (ancestor as Element).localName;
      if (!name || name === 'html') return [];
      const inside = candidates.filter((s) => composedContains(ancestor!, s.element));
      if (inside.length) return inside;
      const framed = this.host.framedSessionsIn(ancestor as Element).filter((s) => s.currentText().trim() !== '');
      if (framed.length) return framed;
    }
    return [];
  }

  private consider(e: Event, action: Action, sessions: FieldSession[]): void {
    if (this.dialog || this.deciding) {
      // One decision at a time: a second click while the first is held must not post twice.
      this.block(e, action);
      return;
    }
    if (this.consumeFollowUp(action, sessions)) return;
    const texts = sessions.map((s) => s.currentText());
    const fresh = sessions.map((s, i) => s.freshFindings(texts[i]));
    if (fresh.every((f) => f !== null)) {
      const found = fresh.flatMap((f) => flags(f!));
      if (!found.length) {
        // Clean and checked: the page sees the event untouched.
        this.onOutcome({ outcome: 'posted', action: action.kind, findings: [], sessions });
        return;
      }
      this.block(e, action);
      this.open(action, sessions, found);
      return;
    }
    // Changed since the last check: hold the action, check, then decide.
    this.block(e, action);
    this.deciding = true;
    void Promise.all(sessions.map((s) => s.checkNow())).then((results) => {
      this.deciding = false;
      const found = results.flatMap((r, i) => (r.status === 'checked' ? flags(sessions[i]!.shown(r.findings)) : []));
      if (found.length) {
        this.open(action, sessions, found);
      } else {
        this.onOutcome({ outcome: 'posted', action: action.kind, findings: [], sessions });
        this.replay(action);
      }
    });
  }

  private block(e: Event, action: Action): void {
    e.preventDefault();
    e.stopImmediatePropagation();
    if (action.kind === 'key') this.swallowKeysOf = action.target;
  }

  private consumeFollowUp(action: Action, sessions: FieldSession[]): boolean {
    const f = this.followUp;
    if (!f) return false;
    this.followUp = null;
    return Date.now() <= f.until && f.kind !== action.kind && sessions.every((s) => f.sessions.includes(s));
  }

  private open(action: Action, sessions: FieldSession[], found: Finding[]): void {
    const flagged = sessions.find((s) => s.last && flags(s.shown(s.last.findings)).length) ?? sessions[0]!;
    const ui = currentUi();
    if (!ui) {
      // Submitted before the UI script arrived (it loads on the first focus): the action stays
      // held until the dialog can be shown. If the UI cannot load, fail open: let it through.
      this.deciding = true;
      loadUi().then(
        () => {
          this.deciding = false;
          this.open(action, sessions, found);
        },
        () => {
          this.deciding = false;
          this.replay(action);
        },
      );
      return;
    }
    const saved = this.saveFocus(flagged);
    this.onOutcome({ outcome: 'flagged', action: action.kind, findings: found, sessions });
    this.dialog = ui.openGuardDialog(this.doc, {
      findings: found,
      onEdit: () => {
        this.dialog = null;
        this.restoreFocus(saved);
        this.onOutcome({ outcome: 'edited', action: action.kind, findings: found, sessions });
      },
      // Without an override the dialog has no "Post anyway": the draft must be edited.
      onPostAnyway:
        this.host.overrideAllowed?.(found) === false
          ? undefined
          : (reason?: string) => {
              this.dialog = null;
              this.onOutcome({ outcome: 'posted-anyway', action: action.kind, findings: found, sessions, ...(reason ? { reason } : {}) });
              if (action.kind === 'key') this.restoreFocus(saved);
              this.replay(action);
              this.followUp = { sessions, kind: action.kind, until: Date.now() + FOLLOW_UP_MS };
            },
    });
  }

  /** Lets the held action happen, once. */
  private replay(action: Action): void {
    this.passing = true;
    try {
      if (action.kind === 'click') {
        action.trigger.click();
      } else if (action.kind === 'submit') {
        try {
          action.form.requestSubmit(action.submitter ?? undefined);
        } catch {
          action.form.requestSubmit(); // the submitter is gone or no longer a submit button
        }
      } else {
        this.replayEnter(action);
      }
    } finally {
      this.passing = false;
      this.swallowKeysOf = null;
    }
  }

  private replayEnter(action: Extract<Action, { kind: 'key' }>): void {
    const { target, init, session } = action;
    const down = new KeyboardEvent('keydown', init);
    target.dispatchEvent(down);
    let defaultAction = !down.defaultPrevented;
    if (defaultAction) {
      const press = new KeyboardEvent('keypress', { ...init, charCode: 13 } as KeyboardEventInit);
      target.dispatchEvent(press);
      defaultAction = !press.defaultPrevented;
    }
    // A synthetic key has no default action: do the implicit submission of a single-line input.
    const el = session.element;
    if (defaultAction && isInput(el) && el.form) el.form.requestSubmit();
    target.dispatchEvent(new KeyboardEvent('keyup', init));
  }

  private saveFocus(session: FieldSession): SavedFocus {
    const el = session.element;
    if (isTextarea(el) || isInput(el)) {
      return { session, start: el.selectionStart, end: el.selectionEnd, direction: el.selectionDirection };
    }
    const selection = this.doc.getSelection();
    const current = selection && selection.rangeCount ? selection.getRangeAt(0) : null;
    const range = current && composedContains(el, current.startContainer) ? current.cloneRange() : session.savedRange;
    return { session, range };
  }

  private restoreFocus(saved: SavedFocus): void {
    const el = saved.session.element;
    if (!el.isConnected) return;
    el.focus({ preventScroll: true });
    if (isTextarea(el) || isInput(el)) {
      if (saved.start != null && saved.end != null) el.setSelectionRange(saved.start, saved.end, saved.direction ?? undefined);
    } else if (saved.range) {
      const selection = this.doc.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(saved.range);
    }
  }
}
