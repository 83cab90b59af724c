/**
 * The Firefox build end to end, in a real Firefox (Debian's firefox-esr, or FIREFOX_PATH) driven
 * over WebDriver BiDi (tests/e2e/firefox-bidi.ts): the MV2 add-on installs, its background answers
 * the content script, a risky draft in a WordPress-like comment form gets a badge, submitting it
 * is stopped by the guard dialog before the page sees it, "Edit draft" keeps the text, "Post
 * anyway" lets it through once, a reply box in a closed shadow root is found too, the finding
 * card's "Redact" works and undoes, Enter in a chat box is stopped, "Edit draft" puts the caret
 * back when the post button is a focusable div, and a clean draft posts once on the first try.
 *
 * Uses the firefox-mv2 build (REPLYGUARD_FIREFOX_EXTENSION_DIR, default .output/firefox-mv2), not
 * the Chromium one. Fails, never skips, when Firefox or the build is missing.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GECKO_ID } from '../../src/admin/extension-ids';
import { launchFirefoxWithExtension, type FirefoxSession, type FirefoxTab } from './firefox-bidi';
import { REPO_ROOT, startFixtureServer, type StaticServer } from './harness';

const EXTENSION_DIR = process.env.REPLYGUARD_FIREFOX_EXTENSION_DIR
  ? resolve(process.env.REPLYGUARD_FIREFOX_EXTENSION_DIR)
  : join(REPO_ROOT, '.output/firefox-mv2');

const RISKY = 'Thanks for asking. The briefing is OFFICIAL-SENSITIVE so I cannot share it yet.';
const CLEAN = 'Thanks for asking. We will publish the full minutes on our website next week.';
const PAGE = 'content/wordpress-comment.html';

interface BadgeState {
  state: string | null;
  count: number;
  severity: string | null;
}

/** What the page sees of ReplyGuard and of itself: the shared DOM only (the content script's JS world is isolated). */
const readBadge = (): BadgeState | null => {
  const badge = document.querySelector('replyguard-badge');
  return badge
    ? { state: badge.getAttribute('data-state'), count: Number(badge.getAttribute('data-count')), severity: badge.getAttribute('data-severity') }
    : null;
};
const readDialogText = (): string | null =>
  document.querySelector('replyguard-guard')?.shadowRoot?.querySelector('[role="dialog"]')?.textContent ?? null;
const posts = (tab: FirefoxTab) => tab.evaluate(() => (window as unknown as { __posts: string[] }).__posts);
const draft = (tab: FirefoxTab) => tab.evaluate(() => (document.getElementById('comment') as HTMLTextAreaElement).value);

describe('Firefox build in Firefox', () => {
  let firefox: FirefoxSession;
  let server: StaticServer;

  beforeAll(async () => {
    server = await startFixtureServer();
    firefox = await launchFirefoxWithExtension(EXTENSION_DIR);
    console.log(`Firefox ${firefox.browserVersion}: started and add-on installed in ${firefox.startupMs} ms`);
  });

  afterAll(async () => {
    const errors = firefox?.logs.filter((entry) => entry.level === 'error') ?? [];
    if (errors.length) console.log('page errors:', errors);
    await firefox?.close();
    await server?.close();
  });

  async function openForm(): Promise<FirefoxTab> {
    const tab = await firefox.newTab();
    await tab.navigate(server.url(PAGE));
    await tab.clickElement('the comment box', () => document.getElementById('comment'));
    return tab;
  }

  /**
   * Types text, then waits for the badge to show a finished check with flags (risky) or without
   * (clean): a check of the half-typed draft may finish first, so "checked" alone is not enough.
   */
  async function typeAndWaitForCheck(tab: FirefoxTab, text: string, flagged: boolean, timeoutMs: number): Promise<BadgeState> {
    await tab.type(text);
    return tab.waitFor(`the badge to show a finished check ${flagged ? 'with' : 'without'} flags`, timeoutMs, (wantFlags: boolean) => {
      const badge = document.querySelector('replyguard-badge');
      const count = Number(badge?.getAttribute('data-count'));
      if (!badge || badge.getAttribute('data-state') !== 'checked' || count > 0 !== wantFlags) return null;
      return { state: badge.getAttribute('data-state'), count, severity: badge.getAttribute('data-severity') };
    }, flagged);
  }

  const clickSubmit = (tab: FirefoxTab) => tab.clickElement('Post Comment', () => document.getElementById('submit'));
  const clickDialogButton = (tab: FirefoxTab, action: 'edit' | 'post-anyway') =>
    tab.clickElement(
      `the dialog's ${action} button`,
      (name: string) => document.querySelector('replyguard-guard')?.shadowRoot?.querySelector(`button[data-action="${name}"]`),
      action,
    );

  it('installs the MV2 add-on under its fixed gecko id', () => {
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
      manifest_version: number;
      browser_specific_settings?: { gecko?: { id?: string } };
    };
    expect(manifest.manifest_version).toBe(2);
    expect(manifest.browser_specific_settings?.gecko?.id).toBe(GECKO_ID);
    expect(firefox.extensionId).toBe(GECKO_ID);
  });

  it('badges a risky draft (cold start), stops its submit with the guard dialog, and "Edit draft" keeps the text', async () => {
    const tab = await openForm();
    try {
      // The first draft after start-up: the background compiles the packs and loads the NLP first.
      const typed = Date.now();
      const badge = await typeAndWaitForCheck(tab, RISKY, true, 30_000);
      console.log(`first check after start-up: ${Date.now() - typed} ms after the last key`);
      expect(badge.count).toBeGreaterThan(0);
      expect(badge.severity).toBe('block');
      // The underline is drawn in the badge's sibling host, over the flagged word.
      await tab.waitFor('an underline', 3000, () => !!document.querySelector('replyguard-underlines')?.shadowRoot?.querySelector('[data-rule^="marking."]'));
      await tab.screenshot('firefox-badge');

      await clickSubmit(tab);
      const dialogText = await tab.waitFor('the guard dialog', 5000, readDialogText);
      expect(dialogText).toContain('OFFICIAL-SENSITIVE');
      expect(await posts(tab)).toEqual([]);
      await tab.screenshot('firefox-dialog');

      await clickDialogButton(tab, 'edit');
      await tab.waitFor('the dialog to close', 3000, () => !document.querySelector('replyguard-guard'));
      expect(await draft(tab)).toBe(RISKY);
      expect(await tab.evaluate(() => document.activeElement?.id)).toBe('comment');
      expect(await posts(tab)).toEqual([]);
      expect(await tab.evaluate(readBadge)).toMatchObject({ state: 'checked', severity: 'block' });
    } finally {
      await tab.close();
    }
  });

  it('"Post anyway" lets a risky draft through exactly once', async () => {
    const tab = await openForm();
    try {
      expect((await typeAndWaitForCheck(tab, RISKY, true, 5000)).count).toBeGreaterThan(0);
      await clickSubmit(tab);
      await tab.waitFor('the guard dialog', 5000, readDialogText);
      await clickDialogButton(tab, 'post-anyway');
      await tab.waitFor('the post', 3000, () => (window as unknown as { __posts: string[] }).__posts.length > 0);
      await new Promise((r) => setTimeout(r, 500));
      expect(await posts(tab)).toEqual([RISKY]);
      expect(await tab.evaluate(() => document.querySelector('replyguard-guard') === null)).toBe(true);
    } finally {
      await tab.close();
    }
  });

  it('reaches a reply box in a closed shadow root (Firefox has no chrome.dom) and stops its submit', async () => {
    const tab = await firefox.newTab();
    try {
      await tab.navigate(server.url('content/shadow-composer.html?mode=closed'));
      // The page keeps its closed root in window.__composerRoot for tests; ReplyGuard must find it on its own.
      const inRoot = (id: string) => (window as unknown as { __composerRoot?: ShadowRoot }).__composerRoot?.getElementById(id);
      await tab.clickElement('the closed-root textarea', inRoot, 'body');
      const badge = await typeAndWaitForCheck(tab, RISKY, true, 5000);
      expect(badge).toMatchObject({ severity: 'block' });
      expect(badge.count).toBeGreaterThan(0);
      await tab.clickElement('the closed-root Comment button', inRoot, 'post');
      expect(await tab.waitFor('the guard dialog', 5000, readDialogText)).toContain('OFFICIAL-SENSITIVE');
      expect(await posts(tab)).toEqual([]);
      await tab.screenshot('firefox-closed-shadow-dialog');
    } finally {
      await tab.close();
    }
  });

  it('hovering the underline opens a card; "Redact" changes only its span and Ctrl+Z restores it', async () => {
    const tab = await openForm();
    try {
      expect((await typeAndWaitForCheck(tab, RISKY, true, 5000)).count).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1100)); // a pause after typing, as a user makes before fixing
      const point = await tab.evaluate(() => {
        const line = document.querySelector('replyguard-underlines')?.shadowRoot?.querySelector('[data-rule]');
        const r = line?.getBoundingClientRect();
        return r ? { x: r.left + r.width / 2, y: r.top - 5 } : null;
      });
      expect(point).not.toBeNull();
      await tab.move(point!.x, point!.y);
      const cardText = await tab.waitFor('the finding card', 3000, () =>
        document.querySelector('replyguard-card')?.shadowRoot?.querySelector('[role="group"]')?.textContent,
      );
      expect(cardText).toContain('OFFICIAL-SENSITIVE');
      await tab.screenshot('firefox-card');
      await tab.clickElement('Redact', () =>
        Array.from(document.querySelector('replyguard-card')?.shadowRoot?.querySelectorAll('button') ?? []).find((b) => b.textContent === 'Redact'),
      );
      const redacted = RISKY.replace('OFFICIAL-SENSITIVE', '[redacted]');
      await tab.waitFor('the redaction', 3000, (want: string) => (document.getElementById('comment') as HTMLTextAreaElement).value === want, redacted);
      expect(await tab.evaluate(() => document.activeElement?.id)).toBe('comment');
      await tab.press('z', ['Control']);
      await tab.waitFor('undo', 3000, (want: string) => (document.getElementById('comment') as HTMLTextAreaElement).value === want, RISKY);
      expect(await posts(tab)).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('stops a chat box that sends on Enter; Escape closes the dialog and keeps the text', async () => {
    const tab = await firefox.newTab();
    try {
      await tab.navigate(server.url('content/chat-enter.html'));
      await tab.waitFor('the chat box (added after load)', 3000, () => !!document.getElementById('chat'));
      await tab.clickElement('the chat box', () => document.getElementById('chat'));
      expect((await typeAndWaitForCheck(tab, RISKY, true, 5000)).count).toBeGreaterThan(0);
      await tab.press('Enter');
      expect(await tab.waitFor('the guard dialog', 5000, readDialogText)).toContain('OFFICIAL-SENSITIVE');
      expect(await posts(tab)).toEqual([]);
      await tab.press('Escape');
      await tab.waitFor('the dialog to close', 3000, () => !document.querySelector('replyguard-guard'));
      expect(await tab.evaluate(() => (document.getElementById('chat') as HTMLInputElement).value)).toBe(RISKY);
      expect(await posts(tab)).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('"Edit draft" puts the caret back where it was when the post button is a focusable div with text', async () => {
    const tab = await firefox.newTab();
    try {
      await tab.navigate(server.url('content/div-button-composer.html'));
      await tab.clickElement('the editor', () => document.getElementById('editor'));
      expect((await typeAndWaitForCheck(tab, RISKY, true, 5000)).count).toBeGreaterThan(0);
      // Pressed on its text: Firefox moves the selection into "Send" before the editor's focusout.
      await tab.clickElement('Send', () => document.getElementById('send'));
      expect(await tab.waitFor('the guard dialog', 5000, readDialogText)).toContain('OFFICIAL-SENSITIVE');
      await clickDialogButton(tab, 'edit');
      await tab.waitFor('the dialog to close', 3000, () => !document.querySelector('replyguard-guard'));
      await tab.type(' Sorry.');
      expect(await tab.evaluate(() => document.getElementById('editor')!.innerText)).toBe(`${RISKY} Sorry.`);
      expect(await posts(tab)).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('posts a clean draft on the first try, exactly once', async () => {
    const tab = await openForm();
    try {
      const badge = await typeAndWaitForCheck(tab, CLEAN, false, 5000);
      expect(badge.count).toBe(0);
      await clickSubmit(tab);
      await tab.waitFor('the post', 3000, () => (window as unknown as { __posts: string[] }).__posts.length > 0);
      await new Promise((r) => setTimeout(r, 500));
      expect(await posts(tab)).toEqual([CLEAN]);
      expect(await tab.evaluate(() => document.querySelector('replyguard-guard') === null)).toBe(true);
      await tab.screenshot('firefox-clean-posted');
    } finally {
      await tab.close();
    }
  });
});
