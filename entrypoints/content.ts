import { SITE_MESSAGE, WARM_MESSAGE, type SiteSettings } from '../src/background/protocol';
import { messageChecker } from '../src/content/check-client';
import type { DraftEvents } from '../src/content/draft-events';
import { listenForPopup } from '../src/content/page-status';
import { startReplyGuard, type ReplyGuard } from '../src/content/replyguard';
import { sendRuntimeMessage } from '../src/content/runtime-message';
import { currentUi, loadUi, setUiLoader, UI_GLOBAL, type ContentUi } from '../src/content/ui';

interface RuntimeUrl {
  runtime: { getURL(path: string): string };
}

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
    // The drawn UI is entrypoints/content-ui.ts, imported on the first focus of a reply field.
    // Run from the content script, it executes in this isolated world and leaves the UI in a
    // global of this world (the page never sees it).
    setUiLoader(async () => {
      const runtime = (globalThis as { browser?: RuntimeUrl; chrome?: RuntimeUrl }).browser?.runtime?.getURL
        ? (globalThis as unknown as { browser: RuntimeUrl }).browser.runtime
        : (globalThis as unknown as { chrome: RuntimeUrl }).chrome.runtime;
      await import(/* @vite-ignore */ runtime.getURL('/content-ui.js'));
      const ui = (globalThis as Record<string, unknown>)[UI_GLOBAL] as ContentUi | undefined;
      if (!ui) throw new Error('content-ui.js did not provide the UI');
      return ui;
    });
    const dom = (globalThis as { chrome?: { dom?: ChromeDom } }).chrome?.dom;
    // Outcome records of flagged drafts for the review page's history. The recorder is part of
    // the UI script (this one stays small): a draft is first recorded at a submission, after the
    // first focus of its field has loaded the UI.
    let recorder: DraftEvents | undefined;
    const drafts: DraftEvents = {
      outcome: (o) => (recorder ??= currentUi()?.draftEvents?.(sendRuntimeMessage, window))?.outcome(o),
      typed: (s) => recorder?.typed(s),
      removed: (s) => recorder?.removed(s),
      stop: () => recorder?.stop(),
    };
    ctx.onInvalidated(() => drafts.stop());
    const start = () =>
      startReplyGuard({
        document,
        check: messageChecker(sendRuntimeMessage),
        warm: () => sendRuntimeMessage({ type: WARM_MESSAGE }),
        drafts,
        openOrClosedShadowRoot: dom?.openOrClosedShadowRoot ? (element) => dom.openOrClosedShadowRoot!(element) : undefined,
      });
    // null while the site is switched off (by the user or the organisation).
    let guard: ReplyGuard | null = start();
    ctx.onInvalidated(() => guard?.stop());
    // The site decision for this page (the organisation's blocklist/allowlist, the user's choice,
    // overrides). The guard starts at once so its capture listeners come before the page's; the
    // answer arrives long before anyone types. No answer (an old background): keep checking.
    const askSite = () =>
      void sendRuntimeMessage({ type: SITE_MESSAGE }).then(
        (settings) => {
          if (!settings || typeof settings !== 'object' || !('enabled' in settings) || ctx.isInvalid) return;
          if ((settings as SiteSettings).enabled) guard ??= start();
          guard?.applySiteSettings(settings as SiteSettings);
          if (!(settings as SiteSettings).enabled) guard = null;
        },
        () => undefined,
      );
    askSite();
    // The popup's questions, answered by the UI script (src/content/page-status.ts); the site
    // switched off or on again (by the user or the organisation): ask again.
    listenForPopup(
      (message) => loadUi().then((ui) => ui.answerPopup?.(document, guard?.sessions() ?? null, message)),
      askSite,
    );
  },
});
