/**
 * The content script's drawn UI (badge, underlines, finding cards, the guard dialog, quick fixes)
 * is a separate script, content-ui.js, loaded on the first focus of a reply field: the script
 * injected into every page stays small (issue 3: <= 30 KB) and pages where nobody writes never
 * load the UI at all. This module is the seam: the core asks currentUi() and, while it is not
 * there yet, loadUi(). Type-only imports here: nothing of the UI is bundled into the core.
 */
import type { applyFix } from './apply-fix';
import type { Badge } from './badge';
import type { draftEvents } from './draft-events';
import type { FixCards } from './fix-cards';
import type { openGuardDialog } from './guard-dialog';
import type { answerPopup } from './page-status';
import type { Underlines } from './underlines';

export interface ContentUi {
  Badge: typeof Badge;
  Underlines: typeof Underlines;
  FixCards: typeof FixCards;
  openGuardDialog: typeof openGuardDialog;
  applyFix: typeof applyFix;
  /** Outcome records for the history (src/content/draft-events.ts); optional for tests' stand-in UIs. */
  draftEvents?: typeof draftEvents;
  /** Answers the popup about this page (src/content/page-status.ts); optional for tests' stand-in UIs. */
  answerPopup?: typeof answerPopup;
}

/** Where content-ui.js leaves the UI: a global of the content script's isolated world, not the page's. */
export const UI_GLOBAL = '__replyguardContentUi';

let ui: ContentUi | null = null;
let loading: Promise<ContentUi> | null = null;
let loader: (() => Promise<ContentUi>) | null = null;

/** The UI if it has loaded; null before. */
export function currentUi(): ContentUi | null {
  return ui;
}

/** Sets the UI directly (unit tests, or a build that bundles it). */
export function provideUi(value: ContentUi): void {
  ui = value;
}

/** How to load the UI (content.ts: import() of the extension's content-ui.js). */
export function setUiLoader(load: () => Promise<ContentUi>): void {
  loader = load;
}

/** Loads the UI once; later calls share the same promise. A failed load may be retried. */
export function loadUi(): Promise<ContentUi> {
  if (ui) return Promise.resolve(ui);
  if (!loader) return Promise.reject(new Error('ReplyGuard: no UI loader'));
  loading ??= loader().then(
    (value) => (ui = value),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}
