/**
 * The content script on real editor libraries (installed from npm, bundled here with esbuild):
 * Quill (LinkedIn-like), Tiptap/ProseMirror (Discourse-like, posting through its form), Lexical
 * (Facebook-like), Draft.js (X-like, React), Slate (React), Trix (a form with a hidden input),
 * CodeMirror 6, CKEditor 5 and TinyMCE (the editor in an iframe, the submit button in the page). Typing is real key input, so each editor handles it through its own
 * input pipeline; the editor's own API says what the draft is after each step.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFixtures, coldFirstCheckMs, geometry, underlinedWordPoint, waitForBadge } from './content-helpers';
import { FIXTURES_DIR, launchWithExtension, saveScreenshot, type ExtensionSession } from './harness';
import { startStaticServer, type StaticServer } from './server';

interface EditorFixture {
  name: string;
  /** Entry file in fixtures/editors/, bundled to <name>.js. */
  entry: string;
  /** The editing host the user clicks into. */
  field: string;
  /** The page's own post button. */
  submit: string;
  /** The editor lives in this iframe of the page (TinyMCE); its badge and underlines are drawn there. */
  frame?: string;
}

function fieldIn(page: Page, editor: EditorFixture): Locator {
  return editor.frame ? page.frameLocator(editor.frame).locator(editor.field) : page.locator(editor.field);
}

async function uiFrame(page: Page, editor: EditorFixture): Promise<Frame> {
  if (!editor.frame) return page.mainFrame();
  const frame = await (await page.waitForSelector(editor.frame)).contentFrame();
  if (!frame) throw new Error(`${editor.name}: ${editor.frame} has no frame`);
  return frame;
}

const EDITORS: EditorFixture[] = [
  { name: 'quill', entry: 'quill.ts', field: '.ql-editor', submit: '#post' },
  { name: 'tiptap', entry: 'tiptap.ts', field: '.ProseMirror', submit: '#reply' },
  { name: 'lexical', entry: 'lexical.ts', field: '#editor', submit: '#send' },
  { name: 'draftjs', entry: 'draftjs.jsx', field: '.public-DraftEditor-content', submit: '#post' },
  { name: 'slate', entry: 'slate.jsx', field: '[data-slate-editor]', submit: '#send' },
  { name: 'trix', entry: 'trix.js', field: 'trix-editor', submit: '#reply' },
  { name: 'codemirror', entry: 'codemirror.js', field: '.cm-content', submit: '#comment' },
  { name: 'ckeditor5', entry: 'ckeditor.js', field: '.ck-editor__editable', submit: '#publish' },
  { name: 'tinymce', entry: 'tinymce.js', field: 'body#tinymce', submit: '#reply', frame: '#body_ifr' },
];

const RISKY = 'Thanks for asking. The briefing is OFFICIAL-SENSITIVE so I cannot share it yet.';
const CLEAN = 'Thanks for asking. We will publish the full minutes on our website next week.';

const posts = (page: Page) => page.evaluate(() => (window as unknown as { __posts: string[] }).__posts);
const editorText = (page: Page) => page.evaluate(() => (window as unknown as { __editorText(): string }).__editorText());

describe('content script on real editors', () => {
  let session: ExtensionSession;
  let server: StaticServer;
  let servedDir: string;

  beforeAll(async () => {
    const byEntry = new Map(EDITORS.map((e) => [e.entry, e.name]));
    servedDir = await bundleFixtures(join(FIXTURES_DIR, 'editors'), EDITORS.map((e) => e.entry), (entry) => byEntry.get(entry)!);
    server = await startStaticServer(servedDir);
    session = await launchWithExtension();
    // Warm the engine once (see coldFirstCheckMs; content.e2e.test.ts asserts that time).
    const page = await session.context.newPage();
    await page.goto(server.url(`${EDITORS[0]!.name}.html`));
    await coldFirstCheckMs(page, RISKY).finally(() => page.close());
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
    if (servedDir) await rm(servedDir, { recursive: true, force: true });
  });

  async function open(editor: EditorFixture): Promise<Page> {
    const page = await session.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(server.url(`${editor.name}.html`));
    try {
      const editable = `${editor.field}[contenteditable]:not([contenteditable="false"])`;
      await (editor.frame ? page.frameLocator(editor.frame).locator(editable) : page.locator(editable)).waitFor({ timeout: 10_000 });
    } catch (error) {
      throw new Error(`${editor.name} fixture did not start: ${errors.join('; ') || String(error)}`);
    }
    expect(errors).toEqual([]);
    return page;
  }

  async function type(page: Page, editor: EditorFixture, text: string): Promise<number> {
    await fieldIn(page, editor).click();
    await page.keyboard.type(text);
    return Date.now();
  }

  for (const editor of EDITORS) {
    describe(editor.name, () => {
      it('badges a risky draft within 1 s, intercepts the post, and "Edit draft" leaves the editor as typed', async () => {
        const page = await open(editor);
        try {
          const typedAt = await type(page, editor, RISKY);
          const ui = await uiFrame(page, editor);
          await waitForBadge(ui, true, 1000 + 2000 * Number(editor === EDITORS[0])); // first page: cold engine
          console.log(`${editor.name}: badge ${Date.now() - typedAt} ms after the last keystroke`);
          expect(await editorText(page)).toBe(RISKY);
          await ui.waitForFunction(() => !!document.querySelector('replyguard-underlines')?.shadowRoot?.querySelector('[data-rule]'));
          const { word, underlines } = await geometry(ui, `document.querySelector(${JSON.stringify(editor.field)})`, 'OFFICIAL-SENSITIVE');
          expect(underlines).toHaveLength(1);
          expect(Math.abs(underlines[0]!.left - word!.left)).toBeLessThanOrEqual(2);
          expect(Math.abs(underlines[0]!.width - word!.width)).toBeLessThanOrEqual(3);
          expect(Math.abs(underlines[0]!.top + 2 - word!.bottom)).toBeLessThanOrEqual(3);
          await saveScreenshot(page, `content-editor-${editor.name}-badge`);

          await page.click(editor.submit);
          await page.locator('replyguard-guard [role="dialog"]').waitFor({ state: 'visible', timeout: 2000 });
          expect(await posts(page)).toEqual([]);
          await page.getByRole('button', { name: 'Edit draft' }).click();
          await page.locator('replyguard-guard').waitFor({ state: 'detached', timeout: 2000 });
          expect(await editorText(page)).toBe(RISKY);
          const focused = (el: Element) => el.contains(el.ownerDocument.activeElement) && el.ownerDocument.hasFocus();
          expect(await fieldIn(page, editor).evaluate(focused)).toBe(true);
          expect(await posts(page)).toEqual([]);

          // Typing still works where the caret was left, through the editor's own pipeline.
          await page.keyboard.type(' Sorry.');
          expect(await editorText(page)).toBe(`${RISKY} Sorry.`);
        } finally {
          await page.close();
        }
      });

      it('"Post anyway" posts the risky draft exactly once', async () => {
        const page = await open(editor);
        try {
          await type(page, editor, RISKY);
          await waitForBadge(await uiFrame(page, editor), true, 3000);
          await page.click(editor.submit);
          await page.getByRole('button', { name: 'Post anyway' }).click();
          await expect.poll(() => posts(page)).toEqual([RISKY]);
          await page.waitForTimeout(400);
          expect(await posts(page)).toEqual([RISKY]);
        } finally {
          await page.close();
        }
      });

      it('posts a clean draft on the first try, exactly once', async () => {
        const page = await open(editor);
        try {
          await type(page, editor, CLEAN);
          await waitForBadge(await uiFrame(page, editor), false, 3000);
          // Measured in the page: from the button's mousedown to the page's own post handler.
          await page.evaluate(() => {
            const w = window as unknown as { __posts: string[]; __downAt: number; __postAt: number };
            document.addEventListener('mousedown', () => (w.__downAt = performance.now()), true);
            const push = w.__posts.push.bind(w.__posts);
            w.__posts.push = (...items: string[]) => ((w.__postAt = performance.now()), push(...items));
          });
          await page.click(editor.submit);
          await expect.poll(() => posts(page), { timeout: 1000, interval: 10 }).toEqual([CLEAN]);
          const delay = await page.evaluate(() => {
            const w = window as unknown as { __downAt: number; __postAt: number };
            return w.__postAt - w.__downAt;
          });
          console.log(`${editor.name}: clean draft posted ${delay.toFixed(1)} ms after mousedown`);
          // A checked clean draft is never held. (A framed editor's draft is checked when the
          // focus leaves its iframe, on this very mousedown: it may be held for that check.)
          if (!editor.frame) expect(delay).toBeLessThan(50);
          await page.waitForTimeout(400);
          expect(await posts(page)).toEqual([CLEAN]);
          expect(await page.locator('replyguard-guard').count()).toBe(0);
        } finally {
          await page.close();
        }
      });

      it('a quick fix ("Redact" from the hover card) changes only its span, through the editor, and undo restores it', async () => {
        const page = await open(editor);
        try {
          const ui = await uiFrame(page, editor);
          await type(page, editor, RISKY);
          await waitForBadge(ui, true, 3000);
          await page.waitForTimeout(1100); // a pause after typing, as a user makes before fixing
          const point = await underlinedWordPoint(ui);
          await page.mouse.move(point.x, point.y);
          await ui.locator('replyguard-card [role="group"]').waitFor({ state: 'visible', timeout: 1500 });
          await ui.getByRole('button', { name: 'Redact' }).click();
          const fixed = RISKY.replace('OFFICIAL-SENSITIVE', '[redacted]');
          await expect.poll(() => editorText(page)).toBe(fixed);
          // The editor's own undo (its history, or the browser's) takes the fix back as one step.
          await page.keyboard.press('Control+z');
          await expect.poll(() => editorText(page)).toBe(RISKY);
          expect(await posts(page)).toEqual([]);
        } finally {
          await page.close();
        }
      });

      it('reads a multi-paragraph draft the way the editor holds it', async () => {
        const page = await open(editor);
        try {
          await fieldIn(page, editor).click();
          await page.keyboard.type('First paragraph.');
          await page.keyboard.press('Enter');
          // A human pause: Trix applies a new paragraph on the next frame, and a key typed within
          // the same millisecond can land before it.
          await page.waitForTimeout(50);
          await page.keyboard.type('Second one, OFFICIAL-SENSITIVE.');
          await waitForBadge(await uiFrame(page, editor), true, 3000);
          await page.click(editor.submit);
          await page.locator('replyguard-guard [role="dialog"]').waitFor({ state: 'visible', timeout: 5000 });
          await page.getByRole('button', { name: 'Edit draft' }).click();
          expect((await editorText(page)).replace(/\n+/g, '\n')).toBe('First paragraph.\nSecond one, OFFICIAL-SENSITIVE.');
          expect(await posts(page)).toEqual([]);
        } finally {
          await page.close();
        }
      });
    });
  }
});
