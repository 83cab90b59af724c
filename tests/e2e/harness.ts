/**
 * End-to-end harness: launches the system Chromium with the built extension loaded (a fresh
 * throw-away profile per launch), finds the extension id, and serves tests/e2e/fixtures/ on
 * 127.0.0.1. Anything missing (browser, build) throws with a one-line reason: e2e tests must fail
 * loudly, never skip.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { startStaticServer, type StaticServer } from './server';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The built extension; REPLYGUARD_EXTENSION_DIR points at another build (see wxt.config.ts). */
export const EXTENSION_DIR = process.env.REPLYGUARD_EXTENSION_DIR
  ? resolve(process.env.REPLYGUARD_EXTENSION_DIR)
  : join(REPO_ROOT, '.output/chrome-mv3');
export const FIXTURES_DIR = join(REPO_ROOT, 'tests/e2e/fixtures');
export const SCREENSHOTS_DIR = join(REPO_ROOT, 'screenshots');

/** Debian's Chromium unless CHROMIUM_PATH points elsewhere. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `e2e: Chromium not found at ${path} (install it with \`apt-get install chromium\` or set CHROMIUM_PATH)`,
    );
  }
  return path;
}

export interface ExtensionSession {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** chrome-extension://<id>/<path> */
  extensionUrl(path: string): string;
  /** Closes the browser and deletes the profile; safe to call twice. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Built unpacked extension; defaults to .output/chrome-mv3 from `npm run build`. */
  extensionDir?: string;
  /** How long to wait for the extension's service worker to start. */
  serviceWorkerTimeoutMs?: number;
}

/** Launches Chromium (new headless mode) with only this extension enabled. */
export async function launchWithExtension(options: LaunchOptions = {}): Promise<ExtensionSession> {
  const extensionDir = resolve(options.extensionDir ?? EXTENSION_DIR);
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`e2e: no built extension at ${extensionDir} (run \`npm run build\` first)`);
  }
  const executablePath = chromiumPath();
  const profileDir = await mkdtemp(join(tmpdir(), 'replyguard-e2e-profile-'));

  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      timeout: 60_000,
      args: [
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
  } catch (error) {
    await rm(profileDir, { recursive: true, force: true });
    throw new Error(`e2e: could not launch Chromium at ${executablePath}: ${String(error)}`);
  }

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => undefined);
    await rm(profileDir, { recursive: true, force: true });
  };

  try {
    // The worker may already be up by the time we look, so check before waiting for the event.
    const serviceWorker =
      context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
      (await context.waitForEvent('serviceworker', {
        predicate: (w) => w.url().startsWith('chrome-extension://'),
        timeout: options.serviceWorkerTimeoutMs ?? 30_000,
      }));
    const extensionId = new URL(serviceWorker.url()).host;
    return {
      context,
      extensionId,
      serviceWorker,
      extensionUrl: (path) => `chrome-extension://${extensionId}/${path.replace(/^\/+/, '')}`,
      close,
    };
  } catch (error) {
    await close();
    throw new Error(`e2e: the extension's service worker never started (${extensionDir}): ${String(error)}`);
  }
}

/** Serves tests/e2e/fixtures/ on 127.0.0.1 at a random port. */
export function startFixtureServer(): Promise<StaticServer> {
  return startStaticServer(FIXTURES_DIR);
}

/** Saves a full-page PNG to screenshots/<name>.png (git-ignored) and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export type { StaticServer };

/** Where Linux Chromium reads machine-wide (managed) policy. */
export const MANAGED_POLICY_DIR = '/etc/chromium/policies/managed';

/**
 * Writes a managed policy file for every Chromium on this machine (name: a file name unique to
 * the test) and returns a function that removes it. Chromium reads machine policy only from this
 * root-owned directory, so a test cannot fake it: without root it fails with that reason.
 */
export function writeManagedPolicy(name: string, policy: unknown): () => void {
  const file = join(MANAGED_POLICY_DIR, name);
  try {
    mkdirSync(MANAGED_POLICY_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify(policy, null, 2));
  } catch (error) {
    throw new Error(`e2e: cannot write the managed policy ${file} (run the e2e suite as root, as CI does): ${String(error)}`);
  }
  return () => rmSync(file, { force: true });
}
