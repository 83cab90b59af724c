/**
 * The organisation's policy reaches the content script: a managed policy file for the pinned
 * extension id (Linux Chromium reads /etc/chromium/policies/managed/*.json at start) with an
 * inline pack. Its enforced rule is badged and guarded; its audit-mode rule is never shown and
 * never blocks; allowOverride.block=false takes "Post anyway" away; a blocklisted site gets no
 * checks at all. The test writes the policy file before launching Chromium and removes it after.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID } from '../../src/admin/extension-ids';
import { makePack } from '../admin/helpers';
import { launchWithExtension, saveScreenshot, startFixtureServer, type ExtensionSession, type StaticServer, writeManagedPolicy } from './harness';

const POLICY_NAME = 'replyguard-test.json';
let removePolicy: (() => void) | undefined;

const orgPack = makePack('e2e.org', '1.0.0', [
  { id: 'org.codename', terms: ['Project Falcon'], severity: 'block' },
  { id: 'org.trial', terms: ['kestrel'], severity: 'block', mode: 'audit' },
]);

const policy = {
  '3rdparty': {
    extensions: {
      [CHROMIUM_EXTENSION_ID]: {
        // Chrome takes packs as JSON text (docs/admin.md, "Offline machines").
        inlinePacks: [JSON.stringify(orgPack)],
        // Only the organisation's pack runs, so the counts below are exactly its findings.
        disableBuiltInPack: true,
        allowOverride: { info: true, warning: true, block: false },
        siteBlocklist: ['localhost'],
      },
    },
  },
};

const RISKY = 'Our kestrel survey and Project Falcon are both on track.';
const CLEAN = 'The kestrel survey is on track.';

describe('organisation policy in Chromium (managed policy file)', () => {
  let session: ExtensionSession;
  let server: StaticServer;

  beforeAll(async () => {
    removePolicy = writeManagedPolicy(POLICY_NAME, policy);
    server = await startFixtureServer();
    session = await launchWithExtension();
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
    removePolicy?.();
  });

  async function openComment(origin: string): Promise<Page> {
    const page = await session.context.newPage();
    await page.goto(`${origin}/content/wordpress-comment.html`);
    return page;
  }

  const badge = (page: Page) => page.locator('replyguard-badge');
  const posts = (page: Page) => page.evaluate(() => (window as unknown as { __posts: string[] }).__posts);

  it('the browser delivers the policy to the pinned extension id', async () => {
    expect(session.extensionId).toBe(CHROMIUM_EXTENSION_ID);
    const managed = await session.serviceWorker.evaluate(
      () => (globalThis as unknown as { chrome: { storage: { managed: { get(): Promise<Record<string, unknown>> } } } }).chrome.storage.managed.get(),
    );
    expect(managed).toMatchObject({ disableBuiltInPack: true, siteBlocklist: ['localhost'] });
  });

  it("flags the organisation's enforced rule, hides its audit rule, and offers no \"Post anyway\" past a block", async () => {
    const page = await openComment(server.origin);
    try {
      await page.click('#comment');
      await page.keyboard.type(RISKY);
      await expect.poll(() => badge(page).getAttribute('data-count'), { timeout: 5_000 }).toBe('1');
      expect(await badge(page).getAttribute('data-severity')).toBe('block');

      await page.click('#submit');
      const dialog = page.locator('replyguard-guard');
      await expect.poll(() => dialog.count()).toBe(1);
      expect(await dialog.getByRole('button', { name: 'Edit draft' }).count()).toBe(1);
      expect(await dialog.getByRole('button', { name: 'Post anyway' }).count()).toBe(0);
      const listed = await dialog.locator('li').allTextContents();
      expect(listed).toHaveLength(1);
      expect(listed[0]).toContain('Project Falcon');
      expect(listed[0]).not.toContain('kestrel');
      await saveScreenshot(page, 'policy-block-no-override');

      await dialog.getByRole('button', { name: 'Edit draft' }).click();
      expect(await posts(page)).toEqual([]);
      expect(await page.locator('#comment').inputValue()).toBe(RISKY);
    } finally {
      await page.close();
    }
  });

  it('a draft that only an audit rule matches posts on the first try, exactly once', async () => {
    const page = await openComment(server.origin);
    try {
      await page.click('#comment');
      await page.keyboard.type(CLEAN);
      await page.click('#submit');
      await expect.poll(() => posts(page)).toEqual([CLEAN]);
      expect(await page.locator('replyguard-guard').count()).toBe(0);
      // The audit finding is not counted: the badge (if the field has one) shows no flags.
      const count = await page.evaluate(() => document.querySelector('replyguard-badge')?.getAttribute('data-count') ?? '0');
      expect(count).toBe('0');
    } finally {
      await page.close();
    }
  });

  it('a blocklisted site gets no checks: no badge, and a risky draft posts', async () => {
    const page = await openComment(server.origin.replace('127.0.0.1', 'localhost'));
    try {
      await page.click('#comment');
      await page.keyboard.type(RISKY);
      // Long enough for a check (debounce 150 ms) and its badge, had one been made.
      await page.waitForTimeout(1_000);
      expect(await badge(page).count()).toBe(0);
      await page.click('#submit');
      await expect.poll(() => posts(page)).toEqual([RISKY]);
      expect(await page.locator('replyguard-guard').count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
