/**
 * The popup end to end, in Chromium with the built extension. Headless Chromium cannot open the
 * toolbar popup, so the popup page is opened as a tab for the fixture's tab: popup.html?tab=<id>
 * (without ?tab the popup uses the active tab of its window, as the toolbar popup does).
 *
 * With a flagged draft in tests/e2e/fixtures/popup/forum.html: the findings grouped by severity
 * with their marked words and clause links; a clause link opens the policy viewer at the clause;
 * "Go to the words" selects them in the page; "Ignore here once" hides one (popup and badge);
 * the popup follows typing live and announces new findings; "Switch off for this site" stops the
 * page's checks and removes the badge, "Switch on" brings them back; a page without a reply box
 * and a page where ReplyGuard is not running; the organisation's pack trouble; and a keyboard-only
 * walkthrough. Screenshots (light, dark, 200% zoom, site off) are saved to screenshots/popup-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, saveScreenshot, startFixtureServer, type ExtensionSession, type StaticServer } from './harness';

const DRAFT = 'Thanks for asking. The briefing is OFFICIAL-SENSITIVE. I promise you will get a full refund. The door code is 4411.';
const MORE = ' Call Jane Smith on 07700 900123.';
const PACK = 'replyguard.builtin';

/** The bits of the extension API the tests call inside the service worker. */
interface ChromeApi {
  tabs: {
    query(q: object): Promise<Array<{ id?: number }>>;
    sendMessage(tabId: number, message: unknown, options: { frameId: number }): Promise<unknown>;
  };
  storage: { local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
}

describe('popup in Chromium', () => {
  let session: ExtensionSession;
  let fixtures: StaticServer;
  let forum: Page;
  let popup: Page;
  let forumTab: number;
  const errors: string[] = [];

  /** The tab showing `url`: asked of each tab's content script (the extension has no "tabs" permission, so tabs.query gives no URLs). */
  async function tabIdOf(url: string): Promise<number> {
    const id = await session.serviceWorker.evaluate(async (wanted) => {
      const api = (globalThis as unknown as { chrome: ChromeApi }).chrome;
      for (const tab of await api.tabs.query({})) {
        const answer = await api.tabs.sendMessage(tab.id!, { type: 'replyguard.page-status' }, { frameId: 0 }).catch(() => null);
        if ((answer as { url?: string } | null)?.url === wanted) return tab.id!;
      }
      return -1;
    }, url);
    if (id < 0) throw new Error(`no tab answers for ${url}`);
    return id;
  }

  async function openPopup(tabId: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const page = await session.context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.emulateMedia({ colorScheme });
    // About the size of the toolbar popup.
    await page.setViewportSize({ width: 460, height: 900 });
    await page.goto(session.extensionUrl(`popup.html?tab=${tabId}`));
    return page;
  }

  const badge = () =>
    forum.evaluate(() => {
      const b = document.querySelector('replyguard-badge');
      return b && (b as HTMLElement).style.display !== 'none' ? { state: b.getAttribute('data-state'), count: Number(b.getAttribute('data-count')) } : null;
    });

  const excerpts = (page: Page) => page.locator('.rg-finding mark').allTextContents();

  beforeAll(async () => {
    fixtures = await startFixtureServer();
    session = await launchWithExtension();
    forum = await session.context.newPage();
    forum.on('pageerror', (error) => errors.push(error.message));
    await forum.goto(fixtures.url('popup/forum.html'));
    await forum.click('#reply');
    await forum.keyboard.type(DRAFT);
    // The first check also loads the engine (seconds on a cold start).
    await forum.waitForFunction(
      () => {
        const b = document.querySelector('replyguard-badge');
        return b?.getAttribute('data-state') === 'checked' && b.getAttribute('data-count') === '4';
      },
      null,
      { timeout: 20_000 },
    );
    forumTab = await tabIdOf(fixtures.url('popup/forum.html'));
    popup = await openPopup(forumTab);
  });

  afterAll(async () => {
    await session?.close();
    await fixtures?.close();
  });

  it('lists the draft with its findings grouped by severity, words marked, and clause links', async () => {
    await popup.waitForSelector('.rg-finding');
    await expect.poll(() => popup.locator('.rg-finding').count()).toBe(4);
    const first = popup.locator('.pp-field').first();
    expect(await first.getAttribute('data-focused')).toBe('true');
    expect(await first.locator('.pp-field-title').textContent()).toBe('The reply you are writing · Your reply');
    expect(await first.getByTestId('field-status').textContent()).toBe('!4 problems (2 must fix).');
    expect(await popup.locator('.pp-group').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-severity')))).toEqual(['block', 'warning']);
    expect(await excerpts(popup)).toEqual(['OFFICIAL-SENSITIVE', '4411', 'I promise', 'you will get a full refund']);
    // The words around the flagged ones are shown too.
    expect(await popup.locator('.rg-finding').first().getByTestId('excerpt').textContent()).toContain('The briefing is OFFICIAL-SENSITIVE.');
    expect(await popup.locator('.rg-finding .rg-category').allTextContents()).toEqual([
      'Protective marking',
      'Credentials',
      'Commitment on behalf of the organisation',
      'Commitment on behalf of the organisation',
    ]);
    const hrefs = await popup.getByTestId('clause-link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual([
      session.extensionUrl(`policy.html#${PACK}/protective-markings`),
      session.extensionUrl(`policy.html#${PACK}/credentials`),
      session.extensionUrl(`policy.html#${PACK}/commitments`),
      session.extensionUrl(`policy.html#${PACK}/commitments`),
    ]);
    expect(await popup.locator('.pp-host').textContent()).toBe('127.0.0.1');
    // The other reply box (empty) is listed after the focused one.
    expect(await popup.locator('.pp-field').nth(1).getByTestId('field-status').textContent()).toBe('✎Nothing written yet.');
    await saveScreenshot(popup, 'popup-findings-light');
    const dark = await openPopup(forumTab, 'dark');
    await dark.waitForSelector('.rg-finding');
    const colours = await dark.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(colours).toBe('rgb(22, 24, 29)');
    await saveScreenshot(dark, 'popup-findings-dark');
    await dark.close();
  });

  it('a clause link opens the policy viewer at that clause', async () => {
    const [viewer] = await Promise.all([session.context.waitForEvent('page'), popup.getByTestId('clause-link').first().click()]);
    await viewer.waitForLoadState();
    expect(viewer.url()).toBe(session.extensionUrl(`policy.html#${PACK}/protective-markings`));
    const section = viewer.locator(`[id="${PACK}/protective-markings"]`);
    await section.waitFor();
    await expect.poll(() => viewer.evaluate(() => document.activeElement?.id)).toBe(`${PACK}/protective-markings`);
    await viewer.close();
  });

  it('"Go to the words" selects the flagged words in the page', async () => {
    await popup.bringToFront();
    const item = popup.locator('.rg-finding', { has: popup.locator('mark', { hasText: '4411' }) });
    await item.getByRole('button', { name: 'Go to the words' }).click();
    await expect
      .poll(() =>
        forum.evaluate(() => {
          const el = document.activeElement as HTMLTextAreaElement;
          return el.id === 'reply' ? el.value.slice(el.selectionStart, el.selectionEnd) : null;
        }),
      )
      .toBe('4411');
  });

  it('"Ignore here once" hides the finding in the popup and in the page', async () => {
    await popup.bringToFront();
    const item = popup.locator('.rg-finding', { has: popup.locator('mark', { hasText: 'I promise' }) });
    await item.getByRole('button', { name: 'Ignore here once' }).click();
    await expect.poll(() => excerpts(popup)).toEqual(['OFFICIAL-SENSITIVE', '4411', 'you will get a full refund']);
    await expect.poll(badge).toEqual({ state: 'checked', count: 3 });
    expect(await popup.getByTestId('notice').textContent()).toBe('Ignored "I promise" in this reply until the page is reloaded.');
  });

  it('follows the writer typing and announces new findings, without moving what is already shown', async () => {
    const topOfFirst = () => popup.locator('.rg-finding').first().evaluate((el) => Math.round(el.getBoundingClientRect().top));
    const before = await topOfFirst();
    const statusHeights: number[] = [];
    await forum.bringToFront();
    await forum.click('#reply');
    await forum.keyboard.press('End');
    for (const ch of MORE) {
      await forum.keyboard.type(ch);
      if (ch === ' ') statusHeights.push(await popup.getByTestId('field-status').first().evaluate((el) => el.getBoundingClientRect().height));
    }
    await expect.poll(() => excerpts(popup), { timeout: 10_000 }).toContain('07700 900123');
    // While checking and after, the findings already listed stay where they were.
    expect(await topOfFirst()).toBe(before);
    expect(new Set(statusHeights).size).toBe(1);
    expect(await popup.getByTestId('live').textContent()).toMatch(/^New finding: .*07700 900123/);
    expect(await popup.getByTestId('live').getAttribute('aria-live')).toBe('polite');
  });

  it('"Switch off for this site" stops the checks and the badge; "Switch on" brings them back', async () => {
    await popup.bringToFront();
    await popup.getByRole('button', { name: 'Switch off for this site' }).click();
    await expect.poll(() => popup.locator('.pp').getAttribute('data-view')).toBe('site-off');
    expect(await popup.locator('.pp-state-text').textContent()).toBe(
      "You switched ReplyGuard off on 127.0.0.1. Replies you write here are not checked against your organisation's policy.",
    );
    await expect.poll(badge).toBeNull();
    // Typing on a switched-off site checks nothing.
    await forum.bringToFront();
    await forum.click('#reply');
    await forum.keyboard.type(' It is OFFICIAL-SENSITIVE.');
    await forum.waitForTimeout(800);
    expect(await badge()).toBeNull();
    await popup.bringToFront();
    await saveScreenshot(popup, 'popup-site-off');
    await popup.getByRole('button', { name: 'Switch on for this site' }).click();
    await expect.poll(() => popup.locator('.pp').getAttribute('data-view'), { timeout: 10_000 }).toBe('fields');
    // The draft is checked again as soon as the popup asks (and the badge is back).
    await expect.poll(badge, { timeout: 10_000 }).toMatchObject({ state: 'checked' });
    expect((await badge())!.count).toBeGreaterThanOrEqual(5);
    await expect.poll(() => excerpts(popup)).toContain('OFFICIAL-SENSITIVE');
  });

  it('a page without a reply box, and a page ReplyGuard does not run on', async () => {
    const plain = await session.context.newPage();
    await plain.goto(fixtures.url('popup/no-reply-box.html'));
    const plainTab = await tabIdOf(fixtures.url('popup/no-reply-box.html'));
    const forPlain = await openPopup(plainTab);
    await expect.poll(() => forPlain.locator('.pp').getAttribute('data-view')).toBe('no-fields');
    expect(await forPlain.locator('.pp-state-title').textContent()).toBe('No reply box on this page');
    await saveScreenshot(forPlain, 'popup-no-reply-box');
    // The popup tab itself is an extension page: nothing there answers.
    const selfTab = await session.serviceWorker.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: ChromeApi }).chrome;
      const tabs = await api.tabs.query({});
      return Math.max(...tabs.map((t) => t.id!));
    });
    const forSelf = await openPopup(selfTab);
    await expect.poll(() => forSelf.locator('.pp').getAttribute('data-view')).toBe('not-running');
    expect(await forSelf.locator('.pp-state-title').textContent()).toBe('Not checked: ReplyGuard is not running on this page');
    await Promise.all([plain.close(), forPlain.close(), forSelf.close()]);
  });

  it("shows when the organisation's pack failed to update", async () => {
    const key = 'replyguard.admin.status';
    const saved = await session.serviceWorker.evaluate(async (k) => {
      const api = (globalThis as unknown as { chrome: ChromeApi }).chrome;
      const before = (await api.storage.local.get(k))[k];
      await api.storage.local.set({
        [k]: {
          ...(before as object),
          remote: [{ url: 'https://packs.example.org/acme.json', ok: false, message: 'The pack at https://packs.example.org/acme.json could not be downloaded (HTTP 503).', checkedAt: Date.now(), active: null }],
        },
      });
      return before;
    }, key);
    try {
      await popup.bringToFront();
      await expect.poll(() => popup.getByTestId('admin-trouble').count()).toBe(1);
      expect(await popup.locator('.pp-admin-title').textContent()).toContain("Your organisation's rules could not be updated");
      await popup.locator('.pp-admin-details summary').click();
      expect(await popup.locator('.pp-admin-list').textContent()).toContain('HTTP 503');
      await saveScreenshot(popup, 'popup-admin-trouble');
    } finally {
      await session.serviceWorker.evaluate(async ([k, v]) => {
        const api = (globalThis as unknown as { chrome: ChromeApi }).chrome;
        await api.storage.local.set({ [k as string]: v });
      }, [key, saved] as const);
    }
    // Back to what the browser had (another test's organisation policy may have trouble of its own).
    await expect.poll(async () => (await popup.locator('.pp-admin-list').count()) === 0 || !(await popup.locator('.pp-admin-list').textContent())!.includes('HTTP 503')).toBe(true);
  });

  it('works with the keyboard alone, with a visible focus ring', async () => {
    const keyboardPopup = await openPopup(forumTab);
    await keyboardPopup.bringToFront();
    await keyboardPopup.waitForSelector('.rg-finding');
    const focused = () =>
      keyboardPopup.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return { text: el.textContent?.trim() ?? '', tag: el.localName, ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
      });
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await keyboardPopup.keyboard.press('Tab');
      const f = await focused();
      if (f.tag === 'body') break;
      expect(f.ring, `focus ring on "${f.text}"`).toBe(true);
      seen.push(f.text);
      if (f.text === 'Review flagged drafts') break;
    }
    // When the organisation's rules have trouble (another e2e file's policy may be in force on this
    // machine), its "What went wrong" details come first.
    if (seen[0]?.startsWith('What went wrong')) seen.shift();
    expect(seen[0]).toBe('Never post marked or confidential material');
    expect(seen.slice(1, 3)).toEqual(['Go to the words', 'Ignore here once']);
    expect(seen).toContain('Switch off for this site');
    expect(seen.slice(-2)).toEqual(['Settings', 'Review flagged drafts']);
    await saveScreenshot(keyboardPopup, 'popup-keyboard-focus');
    // Ignore the first finding with the keyboard: Shift+Tab back to its button, Enter.
    await keyboardPopup.keyboard.press('Home');
    for (let i = 0; i < 60 && (await focused()).text !== 'Ignore here once'; i++) await keyboardPopup.keyboard.press('Shift+Tab');
    const before = await excerpts(keyboardPopup);
    await keyboardPopup.keyboard.press('Enter');
    await expect.poll(() => excerpts(keyboardPopup)).toHaveLength(before.length - 1);
    // Focus stays in the reply's section, not lost to the page.
    expect(await keyboardPopup.evaluate(() => document.activeElement?.className)).toBe('pp-field-title');
    await keyboardPopup.close();
  });

  it('is readable at 200% zoom (no sideways scrolling) and reported no page errors', async () => {
    const zoomed = await openPopup(forumTab);
    await zoomed.waitForSelector('.rg-finding');
    await zoomed.evaluate(() => {
      document.documentElement.style.zoom = '2';
    });
    const overflow = await zoomed.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll<HTMLElement>('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5)
        .map((el) => `${el.localName}.${el.className}`);
      return { by: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5) };
    });
    expect(overflow).toEqual({ by: 0, wide: [] });
    await saveScreenshot(zoomed, 'popup-zoom-200');
    await zoomed.close();
    expect(errors).toEqual([]);
  });
});
