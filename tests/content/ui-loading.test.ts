// @vitest-environment happy-dom
/**
 * The drawn UI is a separate script, loaded on the first focus of a reply field
 * (src/content/ui.ts). Nothing is drawn and no dialog can open until it arrives: a risky
 * submission made before then stays held and gets its dialog once the UI is there; a clean draft
 * never waits for it; if the UI cannot load, posting is not blocked.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { applyFix } from '../../src/content/apply-fix';
import { Badge } from '../../src/content/badge';
import { FixCards } from '../../src/content/fix-cards';
import { openGuardDialog } from '../../src/content/guard-dialog';
import { startReplyGuard, type ReplyGuard } from '../../src/content/replyguard';
import { setUiLoader, type ContentUi } from '../../src/content/ui';
import { Underlines } from '../../src/content/underlines';
import type { Finding } from '../../src/engine/types';

const REAL_UI: ContentUi = { Badge, Underlines, FixCards, openGuardDialog, applyFix };

async function check(text: string): Promise<Finding[]> {
  const start = text.indexOf('OFFICIAL-SENSITIVE');
  if (start < 0) return [];
  return [
    {
      rule: 'test.marking',
      pack: 'test',
      category: 'marking',
      severity: 'block',
      mode: 'enforce',
      message: 'Do not post marked material',
      start,
      end: start + 'OFFICIAL-SENSITIVE'.length,
      excerpt: 'OFFICIAL-SENSITIVE',
      clause: { id: 'protective-markings', title: 'Never post marked material' },
    } as Finding,
  ];
}

let guard: ReplyGuard | undefined;
afterEach(() => {
  guard?.stop();
  document.body.innerHTML = '';
  document.querySelectorAll('replyguard-badge, replyguard-guard, replyguard-underlines').forEach((e) => e.remove());
});

function form() {
  document.body.innerHTML = `<form id="f"><textarea id="comment"></textarea><input type="submit" id="submit" value="Post"></form>`;
  let submits = 0;
  document.getElementById('f')!.addEventListener('submit', (e) => {
    e.preventDefault();
    submits++;
  });
  const textarea = document.getElementById('comment') as HTMLTextAreaElement;
  const type = (text: string) => {
    textarea.focus();
    textarea.value = text;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  };
  return { type, submit: () => (document.getElementById('submit') as HTMLInputElement).click(), submits: () => submits };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

// One test: the UI, once loaded, stays loaded for the page (as in the extension).
it('holds a risky submission until the UI has loaded, then shows the dialog; clean drafts never wait for it', async () => {
  let loads = 0;
  let deliver!: (ui: ContentUi) => void;
  setUiLoader(() => {
    loads++;
    return new Promise<ContentUi>((resolve) => (deliver = resolve));
  });
  const page = form();
  guard = startReplyGuard({ document, check, debounceMs: 10 });

  page.type('Thanks, will do.');
  await guard.whenIdle();
  page.submit();
  expect(page.submits()).toBe(1); // clean: through at once, the UI still loading
  expect(loads).toBe(1); // asked for on the first focus

  page.type('The briefing is OFFICIAL-SENSITIVE.');
  await guard.whenIdle();
  page.submit();
  await tick(20);
  expect(page.submits()).toBe(1); // held
  expect(document.querySelector('replyguard-guard')).toBeNull(); // no UI yet
  expect(document.querySelector('replyguard-badge')).toBeNull();

  deliver(REAL_UI);
  await tick(0);
  expect(document.querySelector('replyguard-guard')).not.toBeNull();
  expect(document.querySelector('replyguard-badge')?.getAttribute('data-count')).toBe('1');
  expect(page.submits()).toBe(1);
  expect(loads).toBe(1);
});

it('lets a held submission through if the UI cannot load (fail open)', async () => {
  // Fresh modules: no UI loaded yet in this page.
  vi.resetModules();
  const ui = await import('../../src/content/ui');
  const content = await import('../../src/content/replyguard');
  ui.setUiLoader(() => Promise.reject(new Error('content-ui.js blocked')));
  const page = form();
  guard = content.startReplyGuard({ document, check, debounceMs: 10 });
  page.type('The briefing is OFFICIAL-SENSITIVE.');
  await guard.whenIdle();
  page.submit();
  await vi.waitFor(() => expect(page.submits()).toBe(1));
  expect(document.querySelector('replyguard-guard')).toBeNull();
});
