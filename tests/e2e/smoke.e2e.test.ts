/**
 * Smoke test: the built extension loads into Chromium, its service worker runs, and the popup
 * page renders the built-in pack it was built with.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXTENSION_DIR,
  REPO_ROOT,
  launchWithExtension,
  saveScreenshot,
  startFixtureServer,
  type ExtensionSession,
  type StaticServer,
} from './harness';

const builtinPack = JSON.parse(readFileSync(join(REPO_ROOT, 'rules/generated/builtin.json'), 'utf8')) as {
  name: string;
  version: string;
};
const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
  manifest_version: number;
  name: string;
  permissions?: string[];
};

describe('extension smoke', () => {
  let session: ExtensionSession;
  let fixtures: StaticServer;

  beforeAll(async () => {
    fixtures = await startFixtureServer();
    session = await launchWithExtension();
  });

  afterAll(async () => {
    await session?.close();
    await fixtures?.close();
  });

  it('builds an MV3 manifest asking only for storage and alarms', () => {
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.name).toBe('ReplyGuard');
    expect(manifest.permissions).toEqual(['storage', 'alarms']);
  });

  it('loads the extension and runs its service worker', async () => {
    expect(session.extensionId).toMatch(/^[a-p]{32}$/);
    expect(session.serviceWorker.url()).toBe(session.extensionUrl('background.js'));
    // Evaluating inside the worker proves it is alive and is this extension's context.
    const runtimeId = await session.serviceWorker.evaluate(
      () => (globalThis as unknown as { chrome: { runtime: { id: string } } }).chrome.runtime.id,
    );
    expect(runtimeId).toBe(session.extensionId);
  });

  it('renders the built-in pack name and version in the popup', async () => {
    const page = await session.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(session.extensionUrl('popup.html'));
      await expect.poll(() => page.locator('h1').textContent()).toBe('ReplyGuard');
      const packLine = await page.getByTestId('builtin-pack').textContent();
      expect(packLine).toBe(`${builtinPack.name} v${builtinPack.version}`);
      expect(pageErrors).toEqual([]);
      await saveScreenshot(page, 'smoke-popup');
    } finally {
      await page.close();
    }
  });

  it('serves fixture pages from 127.0.0.1', async () => {
    expect(fixtures.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await session.context.newPage();
    try {
      const response = await page.goto(fixtures.url('index.html'));
      expect(response?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('Fixture index');
      const missing = await page.goto(fixtures.url('no-such-page.html'));
      expect(missing?.status()).toBe(404);
    } finally {
      await page.close();
    }
  });
});
