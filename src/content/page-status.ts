/**
 * The content script's side of the popup: what the popup asks a tab and what the tab answers.
 *
 * - page-status: the reply fields on this page, the focused one marked, each with its draft, its
 *   check state and the findings the writer is shown (audit-mode and ignored ones left out). The
 *   popup asks a few times a second while it is open, so it follows the writer's typing.
 * - go-to-finding: scroll to the field and select the flagged words in it.
 * - ignore-finding: "ignore here once" (the same as the in-page card's: this field, this page).
 *
 * The popup sends to the top frame only (frameId 0); reply fields in same-origin frames are the top
 * frame's sessions too. Reply boxes in cross-origin frames are checked in the page but not listed.
 *
 * Also here: re-asking the background's site decision when the user's site choice or the
 * organisation's policy changes in storage, so an open page stops and resumes at once.
 *
 * Only listenForPopup is in the script injected into every page; the rest (answerPopup) is part of
 * the lazily loaded UI script (src/content/ui.ts), so the injected script stays small. Everything
 * drawn belongs to the popup: this file only reads state and moves the selection.
 */
import type { Finding } from '../engine/types';
import type { FieldSession } from './field-session';
import { isInput, isTextarea } from './find-reply-fields';
import { visible } from './findings';
import { readDraft } from './read-draft';

export const PAGE_STATUS_MESSAGE = 'replyguard.page-status';
export const GO_TO_FINDING_MESSAGE = 'replyguard.go-to-finding';
export const IGNORE_FINDING_MESSAGE = 'replyguard.ignore-finding';

/**
 * browser.storage.local key of the user's site choices (src/settings/site-prefs.ts
 * SITE_PREFS_AREA_KEY; repeated here so the injected script does not bundle WXT storage and zod).
 */
export const SITE_PREFS_KEY = 'replyguard.sitePrefs';

/** Which finding an action is for (the popup's copy of a finding; offsets into the checked draft). */
export type FindingRef = Pick<Finding, 'rule' | 'start' | 'end' | 'excerpt'>;

export type PopupRequest =
  | { type: typeof PAGE_STATUS_MESSAGE }
  | { type: typeof GO_TO_FINDING_MESSAGE | typeof IGNORE_FINDING_MESSAGE; field: number; finding: FindingRef };

/**
 * - empty: nothing typed yet;
 * - checking: a check is scheduled or running (findings are the previous result's, if any);
 * - checked: findings are for the draft as it is now;
 * - not-checked: the engine failed or timed out (error says why); posting is not blocked.
 */
export type FieldState = 'empty' | 'checking' | 'checked' | 'not-checked';

export interface FieldStatus {
  /** Stable for the life of the page, for go-to-finding and ignore-finding. */
  id: number;
  /** What the field is, in the page's own words (its label, aria-label or placeholder). */
  label: string;
  /** Keyboard focus is in this field (or was, when the page lost focus to the popup). */
  focused: boolean;
  state: FieldState;
  /** The draft the findings are for (their offsets are into it). */
  text: string;
  findings: Finding[];
  error?: string;
}

export interface PageStatus {
  url: string;
  /** False when the site is switched off (by the user or the organisation): nothing is checked. */
  running: boolean;
  fields: FieldStatus[];
}

export type ActionReply = { ok: true } | { ok: false; error: string };

const ids = new WeakMap<HTMLElement, number>();
let nextId = 1;
const idOf = (el: HTMLElement) => ids.get(el) ?? (ids.set(el, nextId), nextId++);

/** The element with keyboard focus, through open shadow roots and same-origin frames. */
function deepActive(doc: Document): Element | null {
  let active = doc.activeElement;
  for (;;) {
    let inner: Element | null | undefined = active?.shadowRoot?.activeElement;
    try {
      inner ??= (active as HTMLIFrameElement | null)?.contentDocument?.activeElement;
    } catch {
      // cross-origin frame
    }
    if (!inner || inner === active) return active;
    active = inner;
  }
}

function labelOf(el: HTMLElement): string {
  const labels = (el as HTMLTextAreaElement).labels;
  const text =
    el.getAttribute('aria-label') || (labels?.[0]?.textContent ?? '') || el.getAttribute('placeholder') || el.title || '';
  return text.replace(/\s+/g, ' ').trim().slice(0, 80);
}

function fieldStatus(session: FieldSession, active: Element | null): FieldStatus {
  const el = session.element;
  const text = session.currentText();
  const last = session.last;
  const fresh = last?.text === text;
  // A draft nobody has had checked yet (pre-filled, never focused): the popup asking is reason enough.
  if (text && !fresh && !session.busy()) void session.checkNow();
  const state: FieldState = !text ? 'empty' : !fresh || session.busy() ? 'checking' : last!.status;
  return {
    id: idOf(el),
    label: labelOf(el),
    focused: !!active && (el === active || el.contains(active)),
    state,
    text: last?.text ?? '',
    findings: last?.status === 'checked' && text ? visible(session.shown(last.findings)) : [],
    ...(last?.error && { error: last.error }),
  };
}

export function pageStatus(doc: Document, sessions: Iterable<FieldSession> | null): PageStatus {
  const active = deepActive(doc);
  const fields = sessions ? [...sessions].filter((s) => s.element.isConnected).map((s) => fieldStatus(s, active)) : [];
  return { url: doc.location?.href ?? '', running: !!sessions, fields };
}

const sameFinding = (f: FindingRef) => (g: Finding) => g.rule === f.rule && g.start === f.start && g.end === f.end && g.excerpt === f.excerpt;

/** The session and its finding, if the draft still holds those words where they were checked. */
function locate(sessions: Iterable<FieldSession>, field: number, ref: FindingRef): { session: FieldSession; finding: Finding } | string {
  const session = [...sessions].find((s) => ids.get(s.element) === field);
  if (!session) return 'That reply box is no longer on the page.';
  const last = session.last;
  const finding = last?.findings.find(sameFinding(ref));
  if (!finding || last!.text !== session.currentText()) return 'The draft has changed since it was checked. Try again in a moment.';
  return { session, finding };
}

/** Scrolls to the field and selects the flagged words in it. */
export function goToFinding(session: FieldSession, finding: FindingRef): void {
  const el = session.element;
  el.ownerDocument.defaultView?.frameElement?.scrollIntoView({ block: 'center' });
  el.scrollIntoView({ block: 'center' });
  el.focus({ preventScroll: true });
  if (isTextarea(el) || isInput(el)) {
    el.setSelectionRange(finding.start, finding.end);
    return;
  }
  const { map } = readDraft(el);
  if (map.kind !== 'dom') return;
  const selection = el.ownerDocument.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(map.toRange(finding.start, finding.end));
}

/** The answer to one popup message, or undefined for a message that is not the popup's. */
export function answerPopup(doc: Document, sessions: Iterable<FieldSession> | null, message: unknown): PageStatus | ActionReply | undefined {
  const m = message as PopupRequest | null;
  const type = m?.type;
  if (type === PAGE_STATUS_MESSAGE) return pageStatus(doc, sessions);
  if (type !== GO_TO_FINDING_MESSAGE && type !== IGNORE_FINDING_MESSAGE) return undefined;
  if (!sessions) return { ok: false, error: 'ReplyGuard is switched off on this site.' };
  const found = locate(sessions, m!.field, m!.finding);
  if (typeof found === 'string') return { ok: false, error: found };
  if (type === GO_TO_FINDING_MESSAGE) goToFinding(found.session, found.finding);
  else found.session.ignore(found.finding);
  return { ok: true };
}

interface ExtensionEvents {
  runtime: {
    onMessage: { addListener(cb: (message: unknown, sender: unknown, reply: (answer: unknown) => void) => boolean | void): void };
  };
  storage?: { onChanged: { addListener(cb: (changes: Record<string, unknown>, area: string) => void): void } };
}

/** The popup's messages all start so (cheap to recognise before loading anything). */
const POPUP_PREFIX = 'replyguard.';

/**
 * The part that stays in the injected script: routes the popup's messages to `answer` (which
 * loads the UI script, where answerPopup lives: the popup is open, so someone is looking) and
 * calls siteChanged when the user's site choices or the organisation's policy change in storage.
 */
export function listenForPopup(answer: (message: unknown) => Promise<unknown>, siteChanged: () => void): void {
  const g = globalThis as { browser?: ExtensionEvents; chrome?: ExtensionEvents };
  const api = g.browser?.runtime?.onMessage ? g.browser : g.chrome;
  api?.runtime?.onMessage.addListener((message, _sender, reply) => {
    const type = (message as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !type.startsWith(POPUP_PREFIX)) return;
    answer(message).then(reply, (error: unknown) => reply({ ok: false, error: String(error) }));
    return true; // the reply comes asynchronously
  });
  api?.storage?.onChanged.addListener((changes, area) => {
    if (area === 'managed' || (area === 'local' && SITE_PREFS_KEY in changes)) siteChanged();
  });
}
