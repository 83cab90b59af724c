/**
 * ReplyGuard's drawn UI, loaded by the content script on the first focus of a reply field
 * (src/content/ui.ts explains why). It runs in the content script's isolated world and hands the
 * UI over through a global of that world; the page cannot see it.
 */
import { applyFix } from '../src/content/apply-fix';
import { Badge } from '../src/content/badge';
import { draftEvents } from '../src/content/draft-events';
import { FixCards } from '../src/content/fix-cards';
import { openGuardDialog } from '../src/content/guard-dialog';
import { answerPopup } from '../src/content/page-status';
import { UI_GLOBAL, type ContentUi } from '../src/content/ui';
import { Underlines } from '../src/content/underlines';

export default defineUnlistedScript(() => {
  const ui: ContentUi = { Badge, Underlines, FixCards, openGuardDialog, applyFix, draftEvents, answerPopup };
  (globalThis as Record<string, unknown>)[UI_GLOBAL] = ui;
});
