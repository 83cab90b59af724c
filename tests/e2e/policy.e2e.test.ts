/**
 * The policy viewer (policy.html) in Chromium with the built extension: a deep link to a clause
 * scrolls to and focuses its section, which lists the rules enforcing it with their examples; the
 * pack's publisher and version show; hashchange moves to another clause; and a keyboard-only
 * walkthrough (search, clear, contents link, open examples). Screenshots: light, dark, 200% zoom.
 */
import { mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, REPO_ROOT, SCREENSHOTS_DIR, type ExtensionSession } from './harness';

interface BuiltinRule {
  id: string;
  clause: string;
  standalone?: boolean;
  examples: { flag: string[]; pass: string[] };
}
const builtin = JSON.parse(readFileSync(join(REPO_ROOT, 'rules/generated/builtin.json'), 'utf8')) as {
  id: string;
  publisher: string;
  version: string;
  rules: BuiltinRule[];
};

const CLAUSE = 'legal-proceedings';
const SECTION_ID = `${builtin.id}/${CLAUSE}`;
const section = (page: Page, id = SECTION_ID) => page.locator(`[id="${id}"]`);

/** A screenshot of what the reader sees (the whole page is thousands of pixels long). */
async function viewportShot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`) });
}

const activeElementId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('policy viewer in Chromium', () => {
  let session: ExtensionSession;

  beforeAll(async () => {
    session = await launchWithExtension();
  });

  afterAll(async () => {
    await session?.close();
  });

  async function openViewer(hash = '', options: { colorScheme?: 'light' | 'dark'; width?: number; zoom?: number } = {}) {
    const page = await session.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.emulateMedia({ colorScheme: options.colorScheme ?? 'light' });
    await page.setViewportSize({ width: options.width ?? 1280, height: 900 });
    await page.goto(session.extensionUrl(`policy.html${hash}`));
    return { page, errors };
  }

  it('a deep link scrolls to the clause, focuses it and lists its rules with their examples', async () => {
    const { page, errors } = await openViewer(`#${encodeURIComponent(builtin.id)}/${CLAUSE}`);
    try {
      await section(page).waitFor({ state: 'visible', timeout: 30_000 });
      await expect.poll(() => activeElementId(page)).toBe(SECTION_ID);
      // Scrolled into view: the section's top is at the top of the viewport, far down the page.
      const box = await section(page).evaluate((el) => ({ top: el.getBoundingClientRect().top, scrollY: window.scrollY }));
      expect(box.scrollY).toBeGreaterThan(500);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.top).toBeLessThan(50);

      // Every rule of the clause, enforced ones first, then the building blocks.
      const expected = builtin.rules.filter((r) => r.clause === CLAUSE);
      const listed = await section(page).locator('[data-rule]').evaluateAll((items) => items.map((i) => i.getAttribute('data-rule')));
      expect(listed).toEqual([
        ...expected.filter((r) => r.standalone !== false).map((r) => r.id),
        ...expected.filter((r) => r.standalone === false).map((r) => r.id),
      ]);
      // Severity as text on an enforced rule, and its examples once opened.
      const first = expected.find((r) => r.standalone !== false)!;
      const rule = section(page).locator(`[data-rule="${first.id}"]`);
      await expect.poll(() => rule.locator('.rg-severity').textContent()).toMatch(/Warning|Must fix|Note/);
      expect(await rule.locator('[data-testid=examples-flag] li').first().isVisible()).toBe(false);
      await rule.locator('summary').click();
      expect(await rule.locator('[data-testid=examples-flag] li').allTextContents()).toEqual(first.examples.flag);
      expect(await rule.locator('[data-testid=examples-pass] li').allTextContents()).toEqual(first.examples.pass);
      expect(await rule.locator('[data-testid=examples-flag] li').first().isVisible()).toBe(true);

      // The pack's publisher, version and source.
      const pack = page.locator(`[data-pack="${builtin.id}"]`);
      expect(await pack.getByTestId('publisher').textContent()).toBe(builtin.publisher);
      expect(await pack.getByTestId('version').textContent()).toBe(builtin.version);
      expect(await pack.getByTestId('source').textContent()).toBe('Built into ReplyGuard');
      expect(await pack.getByTestId('locked').textContent()).toBe('No');
      await rule.locator('summary').click();
      await section(page).focus();
      await viewportShot(page, 'policy-viewer-light');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('moves to another clause when the hash changes', async () => {
    const { page } = await openViewer(`#${SECTION_ID}`);
    try {
      await expect.poll(() => activeElementId(page), { timeout: 30_000 }).toBe(SECTION_ID);
      const other = `${builtin.id}/credentials`;
      await page.evaluate((hash) => (location.hash = hash), `#${other}`);
      await expect.poll(() => activeElementId(page)).toBe(other);
      const top = await section(page, other).evaluate((el) => el.getBoundingClientRect().top);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThan(50);
      // A link to a clause that is not in the policy says so.
      await page.evaluate(() => (location.hash = '#replyguard.builtin/no-such-clause'));
      await expect.poll(() => page.getByTestId('missing-target').textContent()).toContain('"no-such-clause"');
    } finally {
      await page.close();
    }
  });

  it('works with the keyboard alone: search, clear, follow a contents link, open examples', async () => {
    const { page } = await openViewer();
    try {
      await page.locator('#policy-words').waitFor({ timeout: 30_000 });
      await page.keyboard.press('Tab');
      await expect.poll(() => activeElementId(page)).toBe('policy-words');
      await viewportShot(page, 'policy-viewer-top');
      await page.keyboard.type('password');
      await expect.poll(() => page.getByTestId('filter-status').textContent()).toMatch(/^Showing \d+ rules? in \d+ clauses? \(of \d+\)\.$/);
      // Only rules mentioning passwords are left; the credentials clause is among them.
      expect(await section(page, `${builtin.id}/credentials`).count()).toBe(1);
      const shownRules = await page.locator('[data-rule]').count();
      expect(shownRules).toBeGreaterThan(0);
      expect(shownRules).toBeLessThan(builtin.rules.length);

      // Tab past the category menu to "Show all rules", and press it.
      await page.keyboard.press('Tab');
      await expect.poll(() => activeElementId(page)).toBe('policy-category');
      await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Show all rules');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[data-rule]').count()).toBe(builtin.rules.length);
      await expect.poll(() => page.getByTestId('filter-status').textContent()).toContain(`${builtin.rules.length} rules`);

      // Into the contents: Tab until the legal-proceedings link, then follow it.
      const target = `#${builtin.id}/${CLAUSE}`;
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        const href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
        if (href === target) break;
      }
      expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe(target);
      await page.keyboard.press('Enter');
      await expect.poll(() => activeElementId(page)).toBe(SECTION_ID);
      expect(await page.evaluate(() => location.hash)).toBe(target);

      // The next Tab stop is the first rule's examples; Enter opens them.
      await page.keyboard.press('Tab');
      const summary = await page.evaluate(() => {
        const el = document.activeElement;
        return { tag: el?.tagName, text: el?.textContent, rule: el?.closest('[data-rule]')?.getAttribute('data-rule') };
      });
      expect(summary.tag).toBe('SUMMARY');
      expect(summary.text).toMatch(/^Examples: \d+ flagged, \d+ left alone$/);
      await page.keyboard.press('Enter');
      const examples = section(page).locator(`[data-rule="${summary.rule}"] [data-testid=examples-flag] li`).first();
      await expect.poll(() => examples.isVisible()).toBe(true);
      // The focus ring shows where the keyboard is.
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(outline).toBe('solid');
      await viewportShot(page, 'policy-viewer-keyboard');
    } finally {
      await page.close();
    }
  });

  it('dark theme and 200% zoom: screenshots, and nothing wider than the window', async () => {
    const dark = await openViewer(`#${SECTION_ID}`, { colorScheme: 'dark' });
    try {
      await expect.poll(() => activeElementId(dark.page), { timeout: 30_000 }).toBe(SECTION_ID);
      const background = await dark.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      expect(background).toBe('rgb(22, 24, 29)');
      await viewportShot(dark.page, 'policy-viewer-dark');
    } finally {
      await dark.page.close();
    }
    // 200% zoom of a 1280-pixel window lays the page out in 640 CSS pixels.
    const zoomed = await openViewer(`#${SECTION_ID}`, { width: 640 });
    try {
      await expect.poll(() => activeElementId(zoomed.page), { timeout: 30_000 }).toBe(SECTION_ID);
      const overflow = await zoomed.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      await zoomed.page.locator(`[id="${SECTION_ID}"] summary`).first().click();
      await viewportShot(zoomed.page, 'policy-viewer-zoom200');
    } finally {
      await zoomed.page.close();
    }
  });
});
