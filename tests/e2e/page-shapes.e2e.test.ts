/**
 * Page shapes that mirror real reply forms beyond the editor fixtures: a Mastodon-like compose
 * box, where the textarea is controlled by React (the draft lives in React state, so a quick fix
 * that only set `value` would be undone on the next render and never posted) and Ctrl+Enter
 * posts from the textarea through the site's own keydown handler (keyCode 13 + modifier).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFixtures, coldFirstCheckMs, underlinedWordPoint, waitForBadge as waitForFrameBadge } from './content-helpers';
import { FIXTURES_DIR, launchWithExtension, saveScreenshot, type ExtensionSession } from './harness';
import { startStaticServer, type StaticServer } from './server';

const waitForBadge = (page: Page, flagged: boolean, timeout?: number) => waitForFrameBadge(page.mainFrame(), flagged, timeout);

const RISKY = 'Thanks for asking. The briefing is OFFICIAL-SENSITIVE so I cannot share it yet.';
const CLEAN = 'Thanks for asking. We will publish the full minutes on our website next week.';
const FIELD = '.autosuggest-textarea__textarea';

const posts = (page: Page) => page.evaluate(() => (window as unknown as { __posts: string[] }).__posts);
/** The draft as React holds it (what the site would post), not just the DOM value. */
const reactText = (page: Page) => page.evaluate(() => (window as unknown as { __editorText(): string }).__editorText());

describe('a Mastodon-like compose box (React-controlled textarea, Ctrl+Enter posts)', () => {
  let session: ExtensionSession;
  let server: StaticServer;
  let servedDir: string;

  beforeAll(async () => {
    servedDir = await bundleFixtures(join(FIXTURES_DIR, 'shapes'), ['mastodon.jsx']);
    server = await startStaticServer(servedDir);
    session = await launchWithExtension();
    const page = await session.context.newPage();
    await page.goto(server.url('mastodon.html'));
    await coldFirstCheckMs(page, RISKY).finally(() => page.close());
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
    if (servedDir) await rm(servedDir, { recursive: true, force: true });
  });

  async function open(): Promise<Page> {
    const page = await session.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(server.url('mastodon.html'));
    await page.locator(FIELD).waitFor();
    expect(errors).toEqual([]);
    return page;
  }

  async function type(page: Page, text: string): Promise<number> {
    await page.click(FIELD);
    await page.keyboard.type(text);
    return Date.now();
  }

  it('badges a risky draft within 1 s; the Post button is intercepted and "Edit draft" keeps React state as typed', async () => {
    const page = await open();
    try {
      const typedAt = await type(page, RISKY);
      await waitForBadge(page, true, 1000);
      console.log(`mastodon: badge ${Date.now() - typedAt} ms after the last keystroke`);
      await page.click('#publish');
      await page.locator('replyguard-guard [role="dialog"]').waitFor({ state: 'visible', timeout: 2000 });
      await saveScreenshot(page, 'shape-mastodon-guard');
      expect(await posts(page)).toEqual([]);
      // The clause link opens the built-in policy viewer at that clause (a page may not link there itself).
      const [viewer] = await Promise.all([
        session.context.waitForEvent('page', { timeout: 5000 }),
        page.locator('replyguard-guard button.link').first().click(),
      ]);
      expect(viewer.url()).toBe(session.extensionUrl('policy.html#replyguard.builtin/protective-markings'));
      await viewer.close();
      await page.getByRole('button', { name: 'Edit draft' }).click();
      expect(await reactText(page)).toBe(RISKY);
      expect(await page.locator(FIELD).inputValue()).toBe(RISKY);
      expect(await page.locator(FIELD).evaluate((el) => el === document.activeElement)).toBe(true);
      await page.waitForTimeout(300);
      expect(await posts(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Ctrl+Enter on a risky draft is intercepted before the site sees it; "Post anyway" posts it exactly once', async () => {
    const page = await open();
    try {
      await type(page, RISKY);
      await waitForBadge(page, true);
      await page.keyboard.press('Control+Enter');
      await page.locator('replyguard-guard [role="dialog"]').waitFor({ state: 'visible', timeout: 2000 });
      expect(await posts(page)).toEqual([]);
      await page.getByLabel(/If you post anyway, say why/).fill('Quoted from the published minutes');
      await page.getByRole('button', { name: 'Post anyway' }).click();
      // The replayed Ctrl+Enter reaches React's keydown handler (keyCode 13), which posts.
      await expect.poll(() => posts(page)).toEqual([RISKY]);
      await page.waitForTimeout(400);
      expect(await posts(page)).toEqual([RISKY]);
      expect(await reactText(page)).toBe('');
    } finally {
      await page.close();
    }
  });

  it('posts a clean draft on the first try, exactly once, by Ctrl+Enter and by the Post button', async () => {
    const page = await open();
    try {
      await type(page, CLEAN);
      await waitForBadge(page, false);
      await page.keyboard.press('Control+Enter');
      await expect.poll(() => posts(page), { timeout: 1000, interval: 10 }).toEqual([CLEAN]);
      await type(page, CLEAN);
      await waitForBadge(page, false);
      await page.click('#publish');
      await expect.poll(() => posts(page), { timeout: 1000, interval: 10 }).toEqual([CLEAN, CLEAN]);
      await page.waitForTimeout(400);
      expect(await posts(page)).toEqual([CLEAN, CLEAN]);
      expect(await page.locator('replyguard-guard').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('a quick fix reaches React state (the fixed text is what posts), and undo restores the draft', async () => {
    const page = await open();
    try {
      await type(page, RISKY);
      await waitForBadge(page, true);
      await page.waitForTimeout(1100); // a pause after typing, as a user makes before fixing
      const point = await underlinedWordPoint(page.mainFrame());
      await page.mouse.move(point.x, point.y);
      await page.locator('replyguard-card [role="group"]').waitFor({ state: 'visible', timeout: 1500 });
      await page.getByRole('button', { name: 'Redact' }).click();
      const fixed = RISKY.replace('OFFICIAL-SENSITIVE', '[redacted]');
      await expect.poll(() => reactText(page)).toBe(fixed);
      expect(await page.locator('.character-counter').innerText()).toBe(String(500 - fixed.length));
      await page.keyboard.press('Control+z');
      await expect.poll(() => reactText(page)).toBe(RISKY);
      await page.keyboard.press('Control+Shift+z');
      await expect.poll(() => reactText(page)).toBe(fixed);
      // The fixed draft is clean: it posts on the first click, as React holds it.
      await waitForBadge(page, false);
      await page.click('#publish');
      await expect.poll(() => posts(page)).toEqual([fixed]);
    } finally {
      await page.close();
    }
  });
});
