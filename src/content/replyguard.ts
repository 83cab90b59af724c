/**
 * Wires the content script together on one document: finds reply fields (now, and as the page
 * adds them), keeps a FieldSession per field (debounced checks, badge), and installs the submit
 * guard on the window and on every shadow root it meets (closed roots hide their events).
 *
 * Nothing heavy happens at page load: discovery is a cheap DOM walk; the first check (which wakes
 * the engine in the background) is sent only when the user types in or focuses a reply field.
 */
import type { Finding } from '../engine/types';
import type { SiteSettings } from '../background/protocol';
import { FieldSession, type Checker } from './field-session';
import { findReplyFields, replyFieldFor, type ReplyField } from './find-reply-fields';
import type { DraftEvents } from './draft-events';
import { overridable } from './findings';
import type { FixCards } from './fix-cards';
import { SubmitGuard, type GuardOutcome } from './guard-submit';
import { currentUi, loadUi } from './ui';

export interface ReplyGuardOptions {
  document: Document;
  check: Checker;
  /** Quiet time after the last keystroke before checking (a result must come within 300 ms). */
  debounceMs?: number;
  /** A check slower than this counts as not checked and posting is not blocked. */
  timeoutMs?: number;
  /** chrome.dom.openOrClosedShadowRoot where available, to reach closed shadow roots. */
  openOrClosedShadowRoot?: (element: Element) => ShadowRoot | null;
  onOutcome?: (outcome: GuardOutcome) => void;
  /** Outcome records for the review page's history (src/content/draft-events.ts). */
  drafts?: DraftEvents;
  /** Enter posts in this site's multi-line boxes too (chat and comment boxes). Default: by host. */
  enterSendsHere?: boolean;
  /**
   * Called once, when a reply field is first focused or typed in: load the engine ahead of need.
   * Its promise settles when the engine is loaded; check timeouts count from then.
   */
  warm?: () => Promise<unknown> | void;
}

export interface ReplyGuard {
  stop(): void;
  /** The organisation's policy for this page: a disabled site stops ReplyGuard here. */
  applySiteSettings(settings: SiteSettings): void;
  /** Resolves when no check is scheduled or running (tests). */
  whenIdle(): Promise<void>;
  /** The latest findings for a field, or null if it has not been checked. */
  findingsFor(element: HTMLElement): Finding[] | null;
  /** The reply fields being watched (the popup lists them: src/content/page-status.ts). */
  sessions(): Iterable<FieldSession>;
}

/**
 * Sites whose comment and message boxes post on a plain Enter (Shift+Enter for a new line). On
 * other sites this is learned the first time Enter posts a clean draft (see SubmitGuard).
 */
const ENTER_SENDS_SITES =
  /(^|\.)(facebook\.com|messenger\.com|instagram\.com|whatsapp\.com|discord\.com|slack\.com|teams\.microsoft\.com|teams\.live\.com|telegram\.org|chat\.google\.com)$/;

export function enterSendsOn(hostname: string): boolean {
  return ENTER_SENDS_SITES.test(hostname);
}

export function startReplyGuard(options: ReplyGuardOptions): ReplyGuard {
  const doc = options.document;
  const win = doc.defaultView!;
  const sessions = new Map<HTMLElement, FieldSession>();
  const observedRoots = new WeakSet<Node>();
  let engineLoaded: Promise<unknown> = Promise.resolve();
  const sessionOptions = {
    check: options.check,
    debounceMs: options.debounceMs ?? 150,
    timeoutMs: options.timeoutMs ?? 3000,
    engineReady: () => engineLoaded,
  };
  const cleanups: Array<() => void> = [];
  const enterSends = options.enterSendsHere ?? enterSendsOn(doc.location?.hostname ?? '');

  const sessionFor = (field: ReplyField): FieldSession => {
    let session = sessions.get(field.element);
    if (!session) {
      session = new FieldSession(field, sessionOptions);
      if (enterSends) session.postsOnEnter = true;
      sessions.set(field.element, session);
    }
    return session;
  };

  const sessionAt = (node: Node): FieldSession | null => {
    const known = knownFieldOf(node);
    if (known) return known;
    const field = replyFieldFor(node);
    return field ? sessionFor(field) : null;
  };

  let warmed = false;
  const warmUp = () => {
    if (warmed) return;
    warmed = true;
    // A warm-up that fails or never ends must not hold checks forever: at most 20 s.
    const warming = options.warm?.();
    if (warming) engineLoaded = Promise.race([warming.catch(() => undefined), new Promise((r) => win.setTimeout(r, 20_000))]);
    // The drawn UI (badge, underlines, cards, dialog) is a separate script: fetch it now, while
    // the user types and the first check runs.
    void loadUi().catch((error: unknown) => console.warn('ReplyGuard: the UI could not be loaded', error));
  };

  /** The session whose field contains node (cheap walk up; used for every mutation). */
  const knownFieldOf = (node: Node): FieldSession | null => {
    if (!sessions.size) return null;
    for (let n: Node | null = node; n; n = n.parentNode) {
      const s = sessions.get(n as HTMLElement);
      if (s) return s;
    }
    return null;
  };

  const framedSessionsIn = (container: Element): FieldSession[] =>
    framedSessions(Array.from(container.querySelectorAll('iframe')));

  const framedSessions = (frames: HTMLIFrameElement[]): FieldSession[] => {
    const found: FieldSession[] = [];
    for (const frame of frames) {
      let frameDoc: Document | null = null;
      try {
        frameDoc = frame.contentDocument; // null (or a throw) when the frame is cross-origin
      } catch {
        frameDoc = null;
      }
      if (!frameDoc?.body) continue;
      for (const field of findReplyFields(frameDoc)) {
        let session = sessions.get(field.element);
        if (!session) {
          session = new FieldSession(field, { ...sessionOptions, silent: true });
          sessions.set(field.element, session);
        }
        found.push(session);
      }
    }
    return found;
  };

  let allowOverride: SiteSettings['allowOverride'] | undefined;
  const guard = new SubmitGuard(
    doc,
    {
      sessionAt,
      sessions: () => sessions.values(),
      framedSessionsIn,
      overrideAllowed: (findings) => !allowOverride || overridable(findings, allowOverride),
    },
    (outcome) => {
      options.onOutcome?.(outcome);
      options.drafts?.outcome(outcome);
    },
  );
  // Finding cards exist once the UI has loaded; before that no finding is drawn, so there is
  // no card to open and nothing to do.
  let fixCards: FixCards | null = null;
  const cardsOrNull = (): FixCards | null => {
    if (!fixCards) {
      const ui = currentUi();
      if (ui) fixCards = new ui.FixCards(doc, () => sessions.values());
    }
    return fixCards;
  };
  const cards = {
    typed: (session: FieldSession) => cardsOrNull()?.typed(session),
    caretMoved: (session: FieldSession, event?: KeyboardEvent) => cardsOrNull()?.caretMoved(session, event),
    keyDown: (session: FieldSession, event: KeyboardEvent) => cardsOrNull()?.keyDown(session, event),
    hover: (x: number, y: number, overCard: boolean) => cardsOrNull()?.hover(x, y, overCard),
    isOpen: () => fixCards?.isOpen() ?? false,
    isCard: (node: Node | null) => fixCards?.isCard(node) ?? false,
    close: () => fixCards?.close(),
  };

  const observer = new MutationObserver((records) => {
    let removed = false;
    const added = new Set<Element>();
    for (const r of records) {
      const inField = knownFieldOf(r.target);
      if (inField) {
        // The page changed a draft without an input event (cleared it after posting, a quick
        // insert): check again.
        if (inField.field.kind === 'contenteditable') inField.schedule();
        continue;
      }
      if (r.type === 'characterData') continue; // text changed outside any reply field
      if (r.type === 'attributes') {
        added.add(r.target as Element);
        continue;
      }
      if (r.removedNodes.length) removed = true;
      r.addedNodes.forEach((n) => {
        if (n.nodeType === Node.ELEMENT_NODE) added.add(n as Element);
      });
    }
    for (const el of added) if (el.isConnected) discover(el);
    if (removed) sweep();
  });

  const observe = (root: Document | ShadowRoot) => {
    if (observedRoots.has(root)) return;
    observedRoots.add(root);
    observer.observe(root, { childList: true, characterData: true, subtree: true, attributes: true, attributeFilter: ['contenteditable'] });
    if (root === doc) return;
    // submit events never leave a shadow root, and a closed root hides where every other event
    // came from (the document sees only its host): listen inside.
    guard.listen(root);
    if ((root as ShadowRoot).mode === 'closed') listenForFields(root);
  };

  const discover = (root: Document | ShadowRoot | Element) => {
    const fields = findReplyFields(root, {
      openOrClosedShadowRoot: options.openOrClosedShadowRoot,
      onShadowRoot: observe,
    });
    for (const field of fields) sessionFor(field);
  };

  /** Drops sessions (and badges) of fields that left the page. */
  const sweep = () => {
    for (const [element, session] of sessions) {
      const frame = element.ownerDocument.defaultView?.frameElement;
      if (!element.isConnected || (element.ownerDocument !== doc && !frame?.isConnected)) {
        options.drafts?.removed(session);
        session.dispose();
        sessions.delete(element);
      }
    }
  };

  const on = (target: EventTarget, type: string, handler: (e: Event) => void, opts: AddEventListenerOptions = { capture: true }) => {
    target.addEventListener(type, handler, opts);
    cleanups.push(() => target.removeEventListener(type, handler, opts));
  };

  const originOf = (e: Event) => e.composedPath()[0] as Node | undefined;

  /** Input, focus and blur of reply fields, on the document or inside a closed shadow root. */
  function listenForFields(target: Document | ShadowRoot): void {
    // Typing: schedule a debounced check of the field typed in. beforeinput too: editors that
    // apply the edit themselves (CKEditor 5) cancel it, and then no input event follows.
    const typed = (e: Event) => {
      const origin = originOf(e);
      const session = origin ? sessionAt(origin) : null;
      if (!session) return;
      warmUp();
      cards.typed(session);
      session.schedule();
      options.drafts?.typed(session);
    };
    on(target, 'input', typed);
    on(target, 'beforeinput', typed);
    // Focus: fields revealed or created late are found here; a draft already there gets checked.
    on(target, 'focusin', (e) => {
      const origin = originOf(e);
      const session = origin ? sessionAt(origin) : null;
      if (!session) return;
      warmUp();
      if (!session.isFresh()) session.schedule();
    });
    // Finding cards: clicking into flagged words or moving the caret into them opens one;
    // Alt+ArrowDown reaches its buttons, Escape closes it.
    on(target, 'mouseup', (e) => {
      const origin = originOf(e);
      const session = origin ? knownFieldOf(origin) : null;
      if (session) cards.caretMoved(session);
    });
    on(target, 'keyup', (e) => {
      const origin = originOf(e);
      const session = origin ? knownFieldOf(origin) : null;
      if (session) cards.caretMoved(session, e as KeyboardEvent);
    });
    on(target, 'keydown', (e) => {
      if (!cards.isOpen()) return;
      const origin = originOf(e);
      const session = origin ? knownFieldOf(origin) : null;
      if (session) cards.keyDown(session, e as KeyboardEvent);
    });
    // Leaving a contenteditable: remember the caret to restore it after the dialog.
    const rememberCaret = (session: FieldSession | null) => {
      if (!session || session.field.kind !== 'contenteditable') return;
      const selection = doc.getSelection();
      if (selection && selection.rangeCount) {
        const range = selection.getRangeAt(0);
        if (session.element.contains(range.startContainer)) session.savedRange = range.cloneRange();
      }
    };
    // Firefox moves the selection into a pressed focusable element with text (a <div
    // role="button" tabindex="0">Send</div>) before focusout fires: remember it on mousedown too,
    // before the browser's default action.
    on(target, 'mousedown', () => {
      const selection = doc.getSelection();
      if (selection && selection.rangeCount) rememberCaret(knownFieldOf(selection.getRangeAt(0).startContainer));
    });
    on(target, 'focusout', (e) => {
      const origin = originOf(e);
      // Leaving a same-origin iframe editor (on the way to the page's submit button): check its
      // draft now, so the submit finds a fresh result and is not held.
      if ((origin as Element | undefined)?.localName === 'iframe') {
        for (const s of framedSessions([origin as HTMLIFrameElement])) void s.checkNow();
        return;
      }
      rememberCaret(origin ? knownFieldOf(origin) : null);
    });
  }
  listenForFields(doc);

  // Badges follow their fields through scrolling, resizing and reflow.
  let frame = 0;
  const repositionSoon = () => {
    if (frame) return;
    frame = win.requestAnimationFrame(() => {
      frame = 0;
      for (const s of sessions.values()) s.reposition();
    });
  };
  on(win, 'scroll', repositionSoon, { capture: true, passive: true });
  on(win, 'scroll', () => cards.isOpen() && cards.close(), { capture: true, passive: true });
  // Hovering an underline opens its card (checked once per frame at most).
  let hoverFrame = 0;
  let pointer: { x: number; y: number; overCard: boolean } | null = null;
  on(
    doc,
    'mousemove',
    (e) => {
      const m = e as MouseEvent;
      pointer = { x: m.clientX, y: m.clientY, overCard: cards.isCard(m.composedPath()[0] as Node) || m.composedPath().some((t) => cards.isCard(t as Node)) };
      if (hoverFrame || !sessions.size) return;
      hoverFrame = win.requestAnimationFrame(() => {
        hoverFrame = 0;
        if (pointer) cards.hover(pointer.x, pointer.y, pointer.overCard);
      });
    },
    { capture: true, passive: true },
  );
  on(win, 'resize', repositionSoon, { passive: true });
  if (typeof ResizeObserver !== 'undefined') {
    const resizes = new ResizeObserver(repositionSoon);
    resizes.observe(doc.documentElement);
    cleanups.push(() => resizes.disconnect());
  }
  // Reflow that moves a field without resizing the page (an expanding composer above it).
  const interval = win.setInterval(() => {
    for (const s of sessions.values()) {
      if (!s.hasBadge()) continue;
      s.reposition();
      s.noticeValueChange();
    }
  }, 500);
  cleanups.push(() => win.clearInterval(interval));

  guard.listen(win);
  observe(doc);
  if (doc.readyState === 'loading') {
    on(doc, 'DOMContentLoaded', () => discover(doc), { once: true });
  } else {
    discover(doc);
  }

  const stop = () => {
    observer.disconnect();
    guard.stop();
    cards.close();
    for (const cleanup of cleanups.splice(0)) cleanup();
    if (frame) win.cancelAnimationFrame(frame);
    for (const s of sessions.values()) s.dispose();
    sessions.clear();
  };

  return {
    stop,
    applySiteSettings(settings) {
      if (!settings.enabled) stop();
      else allowOverride = settings.allowOverride;
    },
    async whenIdle() {
      while ([...sessions.values()].some((s) => s.busy())) {
        await Promise.all([...sessions.values()].map((s) => s.idle()));
        await new Promise((r) => setTimeout(r, 0));
      }
    },
    findingsFor(element) {
      return sessions.get(element)?.last?.findings ?? null;
    },
    sessions: () => sessions.values(),
  };
}
