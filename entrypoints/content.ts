import { WARM_MESSAGE } from '../src/background/protocol';
import { messageChecker } from '../src/content/check-client';
import { startReplyGuard } from '../src/content/replyguard';
import { sendRuntimeMessage } from '../src/content/runtime-message';

interface ChromeDom {
  openOrClosedShadowRoot?(element: Element): ShadowRoot | null;
}

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  // Reply boxes live in iframes too: TinyMCE-style editors, about:blank and srcdoc frames.
  allFrames: true,
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  // Early, so the submit guard's capture listeners are registered before the page's own.
  runAt: 'document_start',
  main(ctx) {
    const dom = (globalThis as { chrome?: { dom?: ChromeDom } }).chrome?.dom;
    const guard = startReplyGuard({
      document,
      check: messageChecker(sendRuntimeMessage),
      warm: () => void sendRuntimeMessage({ type: WARM_MESSAGE }).catch(() => undefined),
      openOrClosedShadowRoot: dom?.openOrClosedShadowRoot ? (element) => dom.openOrClosedShadowRoot!(element) : undefined,
    });
    ctx.onInvalidated(() => guard.stop());
  },
});
