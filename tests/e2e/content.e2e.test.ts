/**
 * The content script end to end, in real Chromium with the built extension: for each fixture page,
 * a risky draft gets a badge within 1 s of the last keystroke, submitting it is intercepted before
 * the page's own handler runs, "Edit draft" keeps the exact text and returns focus, "Post anyway"
 * lets it through exactly once, and a clean draft posts on the first try, exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, saveScreenshot, startFixtureServer, type ExtensionSession, type StaticServer } from './harness';

interface Fixture {
  name: string;
  path: string;
  /** The reply field. */
  field: string;
  /** The page's own post button. */
  submit: string;
  /** The draft as the page will post it. */
  read(page: Page): Promise<string>;
}

const FIXTURES: Fixture[] = [
  {
    name: 'wordpress-textarea',
    path: 'content/wordpress-comment.html',
    field: '#comment',
    submit: '#submit',
    read: (page) => page.locator('#comment').inputValue(),
  },
  {
    name: 'plain-contenteditable',
    path: 'content/contenteditable-composer.html',
    field: '#contenteditable-root',
    submit: '#submit-button',
    read: (page) => page.locator('#contenteditable-root').evaluate((el) => (el as HTMLElement).innerText),
  },
];

const RISKY = 'Thanks for asking. The briefing is OFFICIAL-SENSITIVE so I cannot share it yet.';
const CLEAN = 'Thanks for asking. We will publish the full minutes on our website next week.';

const posts = (page: Page) => page.evaluate(() => (window as unknown as { __posts: string[] }).__posts);

/** Waits for the badge to report flags; returns ms from the last keystroke. */
async function badgeLatency(page: Page, typedAt: number, timeout = 1000): Promise<number> {
  await page.waitForFunction(
    () => {
      const badge = document.querySelector('replyguard-badge');
      return badge?.getAttribute('data-state') === 'checked' && Number(badge.getAttribute('data-count')) > 0;
    },
    null,
    { timeout, polling: 'raf' },
  );
  return Date.now() - typedAt;
}

async function typeDraft(page: Page, fixture: Fixture, text: string): Promise<number> {
  await page.click(fixture.field);
  await page.keyboard.type(text);
  return Date.now();
}

describe('content script in Chromium', () => {
  let session: ExtensionSession;
  let server: StaticServer;
  const latencies: Record<string, number> = {};

  beforeAll(async () => {
    server = await startFixtureServer();
    session = await launchWithExtension();
  });

  afterAll(async () => {
    if (Object.keys(latencies).length) console.log('keystroke-to-badge ms:', latencies);
    await session?.close();
    await server?.close();
  });

  async function open(fixture: Fixture): Promise<Page> {
    const page = await session.context.newPage();
    await page.goto(server.url(fixture.path));
    return page;
  }

  for (const fixture of FIXTURES) {
    describe(fixture.name, () => {
      it('badges a risky draft within 1 s, intercepts the submit, and "Edit draft" keeps the exact text', async () => {
        const page = await open(fixture);
        try {
          const typedAt = await typeDraft(page, fixture, RISKY);
          latencies[fixture.name] = await badgeLatency(page, typedAt);
          const badge = page.locator('replyguard-badge');
          expect(await badge.getAttribute('data-severity')).toBe('block');
          expect(await badge.isVisible()).toBe(true);
          await saveScreenshot(page, `content-${fixture.name}-badge`);

          await page.click(fixture.submit);
          const dialog = page.locator('replyguard-guard [role="dialog"]');
          await dialog.waitFor({ state: 'visible', timeout: 2000 });
          expect(await dialog.textContent()).toContain('OFFICIAL-SENSITIVE');
          await saveScreenshot(page, `content-${fixture.name}-dialog`);
          expect(await posts(page)).toEqual([]);

          await page.getByRole('button', { name: 'Edit draft' }).click();
          await page.locator('replyguard-guard').waitFor({ state: 'detached', timeout: 2000 });
          expect(await fixture.read(page)).toBe(RISKY);
          expect(await page.locator(fixture.field).evaluate((el) => el === document.activeElement)).toBe(true);
          expect(await posts(page)).toEqual([]);
        } finally {
          await page.close();
        }
      });

      it('"Post anyway" lets the risky draft through exactly once', async () => {
        const page = await open(fixture);
        try {
          await badgeLatency(page, await typeDraft(page, fixture, RISKY), 3000);
          await page.click(fixture.submit);
          await page.getByRole('button', { name: 'Post anyway' }).click();
          await expect.poll(() => posts(page)).toEqual([RISKY]);
          await page.waitForTimeout(500);
          expect(await posts(page)).toEqual([RISKY]);
          expect(await page.locator('replyguard-guard').count()).toBe(0);
        } finally {
          await page.close();
        }
      });

      it('posts a clean draft on the first try, exactly once, once it has been checked', async () => {
        const page = await open(fixture);
        try {
          await typeDraft(page, fixture, CLEAN);
          await page.waitForFunction(() => document.querySelector('replyguard-badge')?.getAttribute('data-state') === 'checked', null, {
            timeout: 3000,
          });
          expect(await page.locator('replyguard-badge').getAttribute('data-count')).toBe('0');
          await page.click(fixture.submit);
          expect(await posts(page)).toEqual([CLEAN]);
          await page.waitForTimeout(500);
          expect(await posts(page)).toEqual([CLEAN]);
          expect(await page.locator('replyguard-guard').count()).toBe(0);
        } finally {
          await page.close();
        }
      });

      it('posts a clean draft submitted straight after typing (before any check) exactly once', async () => {
        const page = await open(fixture);
        try {
          await typeDraft(page, fixture, CLEAN);
          await page.click(fixture.submit);
          await expect.poll(() => posts(page), { timeout: 3000 }).toEqual([CLEAN]);
          await page.waitForTimeout(500);
          expect(await posts(page)).toEqual([CLEAN]);
          expect(await page.locator('replyguard-guard').count()).toBe(0);
        } finally {
          await page.close();
        }
      });

      it('stops a risky draft submitted straight after typing (before any check)', async () => {
        const page = await open(fixture);
        try {
          await typeDraft(page, fixture, RISKY);
          await page.click(fixture.submit);
          await page.locator('replyguard-guard [role="dialog"]').waitFor({ state: 'visible', timeout: 3000 });
          expect(await posts(page)).toEqual([]);
          expect(await fixture.read(page)).toBe(RISKY);
        } finally {
          await page.close();
        }
      });
    });
  }
});
