/**
 * A signed remote pack deployed the way docs/admin.md tells an administrator to: a key pair and
 * a signed pack made with the CLI (`replyguard pack keygen` / `pack sign`), the pack served from
 * 127.0.0.1, and a managed policy file for the pinned extension id naming its address, the public
 * key and an audit endpoint. Checks that the pack's rule fires in a fixture page; that a tampered
 * update (one byte changed, same signature) is refused when the update alarm fires, that the
 * status says so in plain words and the last good pack keeps working; and that a flagged draft
 * posted anyway reaches the audit endpoint as ids, without its text.
 *
 * The policy file gets its own name and is removed afterwards (another helper's Chromium on this
 * machine reads the same directory meanwhile).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditBatch } from '../../src/admin/audit-endpoint';
import type { AdminStatus } from '../../src/admin/admin-runtime';
import { CHROMIUM_EXTENSION_ID } from '../../src/admin/extension-ids';
import { UPDATE_ALARM } from '../../src/admin/remote-packs';
import { makePack } from '../admin/helpers';
import { launchWithExtension, REPO_ROOT, saveScreenshot, startFixtureServer, type ExtensionSession, type StaticServer, writeManagedPolicy } from './harness';

const POLICY_NAME = 'replyguard-remote-test.json';
let removePolicy: (() => void) | undefined;
const ADMIN_STATUS_KEY = 'replyguard.admin.status';

const RISKY = 'Project Falcon ships in May, sorry for the wait.';
const TAMPERED_TERM = 'Project Balcon'; // "Falcon" with its first byte changed

/** The organisation's web server: the pack and its signature (no CORS headers: Chrome needs none), and the audit collector. */
interface OrgServer {
  origin: string;
  files: Map<string, Buffer>;
  requests: Array<{ method: string; path: string }>;
  audit: Array<{ raw: string; body: AuditBatch }>;
  close(): Promise<void>;
}

async function startOrgServer(): Promise<OrgServer> {
  const files = new Map<string, Buffer>();
  const requests: OrgServer['requests'] = [];
  const audit: OrgServer['audit'] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push({ method: req.method ?? '', path });
    if (path === '/audit') {
      // What docs/admin.md asks of a collector for Firefox: CORS for the extension's POST and its
      // preflight. (Chromium sends the POST without a preflight: the content script's http/https
      // match patterns give the extension host access.)
      const cors = {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
      };
      if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        audit.push({ raw, body: JSON.parse(raw) as AuditBatch });
        res.writeHead(202, cors).end();
      });
      return;
    }
    const file = files.get(path);
    if (!file || req.method !== 'GET') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(file);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    files,
    requests,
    audit,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The replyguard CLI, as an administrator runs it. */
function replyguard(...args: string[]): string {
  return execFileSync(process.execPath, [join(REPO_ROOT, 'bin/replyguard.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

describe('signed remote pack and audit endpoint in Chromium (managed policy file)', () => {
  let session: ExtensionSession;
  let pages: StaticServer;
  let org: OrgServer;
  let work: string;
  let signedPack: Buffer;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'replyguard-admin-e2e-'));
    // A key pair and a signed pack, made with the CLI.
    const keygenOut = replyguard('pack', 'keygen', '--out', join(work, 'org-signing'));
    const publicKey = readFileSync(join(work, 'org-signing.pub'), 'utf8').trim();
    expect(keygenOut).toContain(publicKey);
    writeFileSync(
      join(work, 'org-pack.json'),
      JSON.stringify(makePack('e2e.remote', '1.0.0', [{ id: 'remote.codename', terms: ['Project Falcon'], severity: 'warning', category: 'internal-info' }])),
    );
    mkdirSync(join(work, 'site'));
    expect(replyguard('pack', 'sign', join(work, 'org-pack.json'), '--key', join(work, 'org-signing.key'), '-o', join(work, 'site/org.json'))).toContain(
      'signed pack "e2e.remote" 1.0.0',
    );
    signedPack = readFileSync(join(work, 'site/org.json'));

    org = await startOrgServer();
    org.files.set('/packs/org.json', signedPack);
    org.files.set('/packs/org.json.sig', readFileSync(join(work, 'site/org.json.sig')));

    const policy = {
      '3rdparty': {
        extensions: {
          [CHROMIUM_EXTENSION_ID]: {
            packUrls: [`${org.origin}/packs/org.json`],
            packPublicKeys: [publicKey],
            // Only the organisation's pack runs, so every finding below is its rule's.
            disableBuiltInPack: true,
            allowOverride: { info: true, warning: true, block: true },
            auditEndpoint: `${org.origin}/audit`,
            storeFullText: false,
          },
        },
      },
    };
    removePolicy = writeManagedPolicy(POLICY_NAME, policy);
    pages = await startFixtureServer();
    session = await launchWithExtension();
  });

  afterAll(async () => {
    await session?.close();
    await pages?.close();
    await org?.close();
    removePolicy?.();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** AdminStatus as the settings page and the popup read it. */
  const adminStatus = (): Promise<AdminStatus | undefined> =>
    session.serviceWorker.evaluate(async (key) => {
      const chrome = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome;
      return (await chrome.storage.local.get(key))[key] as AdminStatus | undefined;
    }, ADMIN_STATUS_KEY);

  async function openComment(): Promise<Page> {
    const page = await session.context.newPage();
    await page.goto(pages.url('content/wordpress-comment.html'));
    return page;
  }

  const badge = (page: Page) => page.locator('replyguard-badge');

  async function flagCount(text: string): Promise<string | null> {
    const page = await openComment();
    try {
      await page.click('#comment');
      await page.keyboard.type(text);
      // Long enough for a check (debounce 150 ms) and its badge.
      await page.waitForTimeout(1_000);
      return await page.evaluate(() => document.querySelector('replyguard-badge')?.getAttribute('data-count') ?? '0');
    } finally {
      await page.close();
    }
  }

  it('downloads the signed pack named by the policy, and its rule fires', async () => {
    expect(session.extensionId).toBe(CHROMIUM_EXTENSION_ID);
    await expect
      .poll(async () => (await adminStatus())?.remote[0]?.message, { timeout: 20_000 })
      .toBe('Updated to "Pack e2e.remote" 1.0.0.');
    const status = (await adminStatus())!;
    expect(status.packs.map((p) => [p.id, p.source, p.locked])).toEqual([['e2e.remote', 'admin', true]]);
    expect(status.remote[0]).toMatchObject({ ok: true, active: { packId: 'e2e.remote', version: '1.0.0' } });

    const page = await openComment();
    try {
      await page.click('#comment');
      await page.keyboard.type(RISKY);
      await expect.poll(() => badge(page).getAttribute('data-count'), { timeout: 5_000 }).toBe('1');
      expect(await badge(page).getAttribute('data-severity')).toBe('warning');
      await saveScreenshot(page, 'admin-remote-pack-fires');
    } finally {
      await page.close();
    }
  });

  it('refuses a tampered update (one byte changed, same signature) and keeps the last good pack', async () => {
    const before = (await adminStatus())!.remote[0]!.checkedAt;
    const tampered = Buffer.from(signedPack);
    const at = tampered.indexOf('Project Falcon') + 'Project '.length;
    expect(tampered[at]).toBe('F'.charCodeAt(0));
    tampered[at] = 'B'.charCodeAt(0);
    org.files.set('/packs/org.json', tampered);
    const fetchesBefore = org.requests.filter((r) => r.path === '/packs/org.json').length;

    // The scheduled update, brought forward: the alarm the runtime listens to fires now.
    await session.serviceWorker.evaluate((name) => {
      const chrome = (globalThis as unknown as { chrome: { alarms: { create(n: string, i: { when: number }): Promise<void> } } }).chrome;
      return chrome.alarms.create(name, { when: Date.now() + 100 });
    }, UPDATE_ALARM);

    await expect.poll(async () => (await adminStatus())?.remote[0]?.checkedAt, { timeout: 20_000 }).not.toBe(before);
    expect(org.requests.filter((r) => r.path === '/packs/org.json').length).toBeGreaterThan(fetchesBefore);
    const state = (await adminStatus())!.remote[0]!;
    expect(state.ok).toBe(false);
    expect(state.message).toMatch(/^Policy update failed: signature does not match\b.*\. Still using "Pack e2e\.remote" 1\.0\.0\.$/);
    expect(state.active).toMatchObject({ packId: 'e2e.remote', version: '1.0.0' });

    // The last good pack still runs; the tampered text never did.
    expect(await flagCount(RISKY)).toBe('1');
    expect(await flagCount(`${TAMPERED_TERM} ships in May.`)).toBe('0');
  });

  it('a flagged draft posted anyway reaches the audit endpoint as ids, without its text', async () => {
    const page = await openComment();
    try {
      await page.click('#comment');
      await page.keyboard.type(RISKY);
      await expect.poll(() => badge(page).getAttribute('data-count'), { timeout: 5_000 }).toBe('1');
      await page.click('#submit');
      const dialog = page.locator('replyguard-guard');
      await expect.poll(() => dialog.count()).toBe(1);
      await dialog.getByRole('button', { name: 'Post anyway' }).click();
      const reason = dialog.getByRole('textbox');
      if (await reason.count()) {
        await reason.fill('Announced at the open day');
        await dialog.getByRole('button', { name: /post/i }).last().click();
      }
      await expect.poll(() => page.evaluate(() => (window as unknown as { __posts: string[] }).__posts), { timeout: 5_000 }).toEqual([RISKY]);
    } finally {
      await page.close();
    }

    // Batched: sent within the batch delay (15 s).
    await expect.poll(() => org.audit.flatMap((b) => b.body.events).map((e) => e.kind), { timeout: 30_000 }).toEqual(
      expect.arrayContaining(['flagged', 'posted-anyway']),
    );
    const events = org.audit.flatMap((b) => b.body.events);
    for (const event of events) {
      expect(event).toMatchObject({ site: '127.0.0.1', findings: [expect.objectContaining({ pack: 'e2e.remote', rule: 'remote.codename', clause: 'c1' })] });
      expect(event.text).toBeUndefined();
    }
    expect(new Set(events.map((e) => e.draftId)).size).toBe(1);
    for (const batch of org.audit) {
      expect(batch.body.schema).toBe('replyguard.audit/1');
      expect(batch.raw).not.toContain('Falcon');
      expect(batch.raw).not.toContain('ships in May');
    }
  });
});
