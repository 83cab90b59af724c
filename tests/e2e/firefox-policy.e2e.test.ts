/**
 * The organisation's policy reaches ReplyGuard in a real Firefox (Debian's firefox-esr, or
 * FIREFOX_PATH) through Firefox's own enterprise route: policies.json in the install's
 * distribution folder, "3rdparty" → "Extensions" → the add-on's gecko id. Firefox hands that object
 * to the add-on as storage.managed, also for an add-on installed temporarily (webExtension.install),
 * as long as it has an explicit id.
 *
 * So as not to write a system path, Firefox is started from a private copy of its install dir
 * (firefox-bidi.ts, privateFirefoxInstallWithPolicies) with its own distribution/policies.json. On
 * Linux, /etc/firefox/policies/policies.json would be read instead of it, so the suite refuses to
 * run (fails, with the reason) when that file exists.
 *
 * The policy: two inline packs (one as JSON text, as Chrome needs; one as a JSON object, which only
 * Firefox allows), no built-in pack, no "Post anyway" past a block, and "localhost" blocklisted.
 * Checked in the WordPress-like fixture: both code words are flagged and the guard dialog offers
 * only "Edit draft"; the same page opened as http://localhost gets no badge and posts. One Firefox
 * start for the whole file. Fails, never skips, when Firefox or the build is missing.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_STATUS_KEY, type AdminStatus } from '../../src/admin/admin-runtime';
import { GECKO_ID } from '../../src/admin/extension-ids';
import { makePack } from '../admin/helpers';
import { launchFirefoxWithExtension, privateFirefoxInstallWithPolicies, type FirefoxSession, type FirefoxTab, type PrivateFirefoxInstall } from './firefox-bidi';
import { REPO_ROOT, startFixtureServer, type StaticServer } from './harness';

const EXTENSION_DIR = process.env.REPLYGUARD_FIREFOX_EXTENSION_DIR
  ? resolve(process.env.REPLYGUARD_FIREFOX_EXTENSION_DIR)
  : join(REPO_ROOT, '.output/firefox-mv2');

/** Firefox on Linux reads this file, when it exists, instead of any distribution/policies.json. */
const SYSTEM_POLICIES = '/etc/firefox/policies/policies.json';

/** Pinned so the test can open the add-on's own pages (moz-extension://<uuid>/...). */
const EXTENSION_UUID = '3f6c2b1e-6d1a-4f43-9a57-5be0c0de0a11';

const textPack = makePack('e2e.ff-text', '1.0.0', [{ id: 'org.blueheron', terms: ['BLUEHERON'], severity: 'block' }]);
const objectPack = makePack('e2e.ff-object', '1.0.0', [{ id: 'org.greywagtail', terms: ['GREYWAGTAIL'], severity: 'block' }]);

const replyGuardPolicy = {
  inlinePacks: [JSON.stringify(textPack), objectPack],
  // Only the organisation's packs run, so the counts below are exactly their findings.
  disableBuiltInPack: true,
  allowOverride: { info: true, warning: true, block: false },
  siteBlocklist: ['localhost'],
};

const RISKY = 'Operation BLUEHERON starts when GREYWAGTAIL is signed off.';
const PAGE = 'content/wordpress-comment.html';

const readDialogText = (): string | null =>
  document.querySelector('replyguard-guard')?.shadowRoot?.querySelector('[role="dialog"]')?.textContent ?? null;
const posts = (tab: FirefoxTab) => tab.evaluate(() => (window as unknown as { __posts: string[] }).__posts);

describe('organisation policy in Firefox (policies.json, 3rdparty.Extensions)', () => {
  let install: PrivateFirefoxInstall;
  let firefox: FirefoxSession;
  let server: StaticServer;

  beforeAll(async () => {
    if (existsSync(SYSTEM_POLICIES)) {
      throw new Error(`e2e: ${SYSTEM_POLICIES} exists and Firefox would read it instead of the test's policies.json; move it away to run this test`);
    }
    server = await startFixtureServer();
    install = await privateFirefoxInstallWithPolicies({ '3rdparty': { Extensions: { [GECKO_ID]: replyGuardPolicy } } });
    firefox = await launchFirefoxWithExtension(EXTENSION_DIR, {
      executable: install.executable,
      args: ['--remote-allow-system-access'],
      prefs: { 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }) },
    });
    console.log(`Firefox ${firefox.browserVersion}: started with policies.json and add-on installed in ${firefox.startupMs} ms`);
  });

  afterAll(async () => {
    const errors = firefox?.logs.filter((entry) => entry.level === 'error') ?? [];
    if (errors.length) console.log('page errors:', errors);
    await firefox?.close();
    await server?.close();
    await install?.dispose();
  });

  async function openComment(origin: string): Promise<FirefoxTab> {
    const tab = await firefox.newTab();
    await tab.navigate(`${origin}/${PAGE}`);
    await tab.clickElement('the comment box', () => document.getElementById('comment'));
    return tab;
  }

  it('Firefox delivers the 3rdparty policy to the temporarily installed add-on as storage.managed, and both packs are locked', async () => {
    expect(firefox.extensionId).toBe(GECKO_ID);
    const tab = await firefox.newTab();
    try {
      // An extension page runs with the add-on's own `browser` API (BiDi may open it: --remote-allow-system-access).
      await tab.navigate(`moz-extension://${EXTENSION_UUID}/popup.html`);
      const managed = await tab.evaluate(() =>
        (globalThis as unknown as { browser: { storage: { managed: { get(keys: null): Promise<Record<string, unknown>> } } } }).browser.storage.managed.get(null),
      );
      expect(managed).toEqual(replyGuardPolicy);

      // What the settings page and the popup show, once the background has applied the policy.
      const status = await tab.waitFor('the admin status with both packs', 30_000, async (key: string) => {
        const { browser } = globalThis as unknown as { browser: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } };
        const value = (await browser.storage.local.get(key))[key] as AdminStatus | undefined;
        return value && value.packs.length >= 2 ? value : null;
      }, ADMIN_STATUS_KEY);
      expect(status.managed).toBe(true);
      expect(status.policyProblems).toEqual([]);
      expect(status.packProblems).toEqual([]);
      expect(status.packs.map((p) => [p.id, p.source, p.locked])).toEqual([
        ['e2e.ff-text', 'admin', true],
        ['e2e.ff-object', 'admin', true],
      ]);
    } finally {
      await tab.close();
    }
  });

  it('flags the code words of both inline packs (text and object) and offers no "Post anyway" past a block', async () => {
    const tab = await openComment(server.origin);
    try {
      // The first draft after start-up: the background compiles the packs first.
      await tab.type(RISKY);
      const badge = await tab.waitFor('the badge to show both findings', 30_000, () => {
        const el = document.querySelector('replyguard-badge');
        return el?.getAttribute('data-state') === 'checked' && el.getAttribute('data-count') === '2'
          ? { severity: el.getAttribute('data-severity') }
          : null;
      });
      expect(badge.severity).toBe('block');

      await tab.clickElement('Post Comment', () => document.getElementById('submit'));
      const dialogText = await tab.waitFor('the guard dialog', 5000, readDialogText);
      expect(dialogText).toContain('BLUEHERON');
      expect(dialogText).toContain('GREYWAGTAIL');
      const buttons = await tab.evaluate(() =>
        Array.from(document.querySelector('replyguard-guard')?.shadowRoot?.querySelectorAll('button') ?? []).map((b) => b.textContent?.trim()),
      );
      expect(buttons).toContain('Edit draft');
      expect(buttons).not.toContain('Post anyway');
      await tab.screenshot('firefox-policy-block-no-override');

      await tab.clickElement('Edit draft', () => document.querySelector('replyguard-guard')?.shadowRoot?.querySelector('button[data-action="edit"]'));
      await tab.waitFor('the dialog to close', 3000, () => !document.querySelector('replyguard-guard'));
      expect(await posts(tab)).toEqual([]);
      expect(await tab.evaluate(() => (document.getElementById('comment') as HTMLTextAreaElement).value)).toBe(RISKY);
    } finally {
      await tab.close();
    }
  });

  it('a blocklisted site (localhost) gets no checks: no badge, and the same draft posts', async () => {
    const tab = await openComment(server.origin.replace('127.0.0.1', 'localhost'));
    try {
      await tab.type(RISKY);
      // Long enough for a check (debounce 150 ms) and its badge, had one been made.
      await new Promise((r) => setTimeout(r, 1000));
      expect(await tab.evaluate(() => document.querySelector('replyguard-badge') === null)).toBe(true);
      await tab.clickElement('Post Comment', () => document.getElementById('submit'));
      await tab.waitFor('the post', 3000, () => (window as unknown as { __posts: string[] }).__posts.length > 0);
      expect(await posts(tab)).toEqual([RISKY]);
      expect(await tab.evaluate(() => document.querySelector('replyguard-guard') === null)).toBe(true);
    } finally {
      await tab.close();
    }
  });
});
