/**
 * The background's organisation-policy runtime, end to end in Node: fakeBrowser's storage (managed,
 * local, onChanged) and alarms, real packs signed with real keys, served from 127.0.0.1.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_STATUS_KEY, startAdminRuntime, type AdminChange, type AdminRuntime } from '../../src/admin/admin-runtime';
import { UPDATE_ALARM } from '../../src/admin/remote-packs';
import { checkAll } from '../../src/engine/check';
import { makePack, startServer, testKeys, type TestKeys, type TestServer } from './helpers';

let server: TestServer;
let keys: TestKeys;
beforeAll(async () => {
  server = await startServer();
  keys = await testKeys();
});
afterAll(() => server.close());

const builtin = makePack('replyguard.builtin', '1.0.0', [{ id: 'builtin.heron', terms: ['heron'] }]);

async function publish(path: string, version: string, terms: string[], opts: { tamper?: boolean } = {}): Promise<void> {
  const text = `${JSON.stringify(makePack('org.policy', version, [{ id: 'org.rule', terms, severity: 'block' }]), null, 2)}\n`;
  const sig = await keys.sign(text);
  server.set(path, { body: opts.tamper ? text.replace(terms[0]!, `${terms[0]}x`) : text, etag: `"${version}${opts.tamper ? 't' : ''}"` });
  server.set(`${path}.sig`, { body: sig });
}

let runtime: AdminRuntime | undefined;
let changes: AdminChange[];
let n = 0;
let path: string;

function start(extra: Partial<Parameters<typeof startAdminRuntime>[0]> = {}): AdminRuntime {
  runtime = startAdminRuntime({ storage: fakeBrowser.storage, alarms: fakeBrowser.alarms, builtinPack: builtin, ...extra });
  changes = [];
  runtime.onChange((c) => changes.push(c));
  return runtime;
}

/** Waits for the storage event of a policy change to be delivered, then for the queued work to finish. */
async function settle(rt: AdminRuntime): Promise<void> {
  await new Promise((r) => setTimeout(r, 0));
  await rt.settled();
}

const words = async (rt: AdminRuntime, text: string) => checkAll(await rt.packs(), text).map((f) => `${f.pack}:${f.excerpt}`);

beforeEach(() => {
  fakeBrowser.reset();
  path = `/org-${++n}.json`;
});
afterEach(() => runtime?.stop());

describe('startAdminRuntime', () => {
  it('without a policy: the built-in pack only, nothing managed', async () => {
    const rt = start();
    await settle(rt);
    expect(await words(rt, 'a heron and a bluebird')).toEqual(['replyguard.builtin:heron']);
    const status = await rt.status();
    expect(status).toMatchObject({ managed: false, policyProblems: [], remote: [], packProblems: [], holdPosts: false });
    expect(status.packs.map((p) => [p.id, p.source, p.locked])).toEqual([['replyguard.builtin', 'builtin', false]]);
    // Stored for the popup and settings.
    expect((await fakeBrowser.storage.local.get(ADMIN_STATUS_KEY))[ADMIN_STATUS_KEY]).toEqual(status);
  });

  it('fetches a signed pack from the policy, locks it, and keeps it over a tampered update', async () => {
    await publish(path, '1.0.0', ['bluebird']);
    await fakeBrowser.storage.managed.set({ packUrls: [server.url(path)], packPublicKeys: [keys.publicKey] });
    const rt = start();
    await settle(rt);
    expect(await words(rt, 'a heron and a bluebird')).toEqual(['replyguard.builtin:heron', 'org.policy:bluebird']);
    let status = await rt.status();
    expect(status.managed).toBe(true);
    expect(status.packs.map((p) => [p.id, p.source, p.locked, p.origin])).toEqual([
      ['org.policy', 'admin', true, server.url(path)],
      ['replyguard.builtin', 'builtin', false, 'built-in'],
    ]);
    expect(status.remote[0]).toMatchObject({ ok: true, message: 'Updated to "Pack org.policy" 1.0.0.' });

    await publish(path, '1.1.0', ['falcon'], { tamper: true });
    await rt.updateNow();
    status = await rt.status();
    expect(status.remote[0]!.message).toMatch(/^Policy update failed: signature does not match .*Still using "Pack org\.policy" 1\.0\.0\.$/);
    expect(await words(rt, 'bluebird falcon')).toEqual(['org.policy:bluebird']);
  });

  it('starts from the last good pack without waiting for the network, then updates', async () => {
    await publish(path, '1.0.0', ['bluebird']);
    await fakeBrowser.storage.managed.set({ packUrls: [server.url(path)], packPublicKeys: [keys.publicKey] });
    const first = start();
    await settle(first);
    first.stop();
    // The server is gone; a new service worker still has the pack.
    server.set(path, null);
    const rt = start();
    await rt.ready;
    expect(await words(rt, 'bluebird')).toEqual(['org.policy:bluebird']);
    await rt.updateNow();
    expect((await rt.status()).remote[0]!.message).toBe(
      'Policy update failed: the server answered 404 Not Found for the pack. Still using "Pack org.policy" 1.0.0.',
    );
    expect(await words(rt, 'bluebird')).toEqual(['org.policy:bluebird']);
  });

  it('a service worker woken again within 30 minutes does not ask the server; a later start does', async () => {
    await publish(path, '1.0.0', ['bluebird']);
    await fakeBrowser.storage.managed.set({ packUrls: [server.url(path)], packPublicKeys: [keys.publicKey] });
    const t0 = Date.now();
    const first = start({ now: () => t0 });
    await settle(first);
    first.stop();
    const asked = () => server.requests.filter((r) => r.path === path).length;
    const before = asked();
    const soon = start({ now: () => t0 + 29 * 60_000 });
    await settle(soon);
    soon.stop();
    expect(asked()).toBe(before);
    expect(await words(soon, 'bluebird')).toEqual(['org.policy:bluebird']);
    const later = start({ now: () => t0 + 31 * 60_000 });
    await settle(later);
    expect(asked()).toBe(before + 1);
  });

  it('applies policy changes live, and tells the engine when the packs change', async () => {
    const rt = start();
    await settle(rt);
    changes.length = 0;
    await publish(path, '2.0.0', ['kestrel']);
    await fakeBrowser.storage.managed.set({ packUrls: [server.url(path)], packPublicKeys: [keys.publicKey], disableBuiltInPack: true });
    await settle(rt);
    expect(await words(rt, 'heron kestrel')).toEqual(['org.policy:kestrel']);
    expect(changes.some((c) => c.packsChanged)).toBe(true);

    // A change that does not affect the packs (failMode) updates the status only.
    changes.length = 0;
    await fakeBrowser.storage.managed.set({ failMode: 'closed' });
    await settle(rt);
    expect((await rt.status()).policy.failMode).toBe('closed');
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => !c.packsChanged)).toBe(true);
  });

  it('user packs come from loadUserPacks, rank below the others, and refresh() picks up changes', async () => {
    let user = [{ origin: 'mine.json', data: makePack('user.mine', '1.0.0', [{ id: 'builtin.heron', terms: ['egret'] }, { id: 'user.rule', terms: ['wren'] }]) }];
    const rt = start({ loadUserPacks: async () => user });
    await settle(rt);
    expect(await words(rt, 'heron egret wren')).toEqual(['replyguard.builtin:heron', 'user.mine:wren']);
    expect((await rt.status()).packs.find((p) => p.id === 'user.mine')).toMatchObject({ source: 'user', locked: false, shadowed: ['builtin.heron'] });
    user = [];
    await rt.refresh();
    expect(await words(rt, 'heron egret wren')).toEqual(['replyguard.builtin:heron']);
  });

  it('inline packs, audit packs and policy problems show in the status', async () => {
    const inline = makePack('org.inline', '1.0.0', [{ id: 'inline.rule', terms: ['osprey'] }]);
    await fakeBrowser.storage.managed.set({ inlinePacks: [JSON.stringify(inline)], auditPacks: ['org.inline'], failMode: 'sometimes' });
    const rt = start();
    await settle(rt);
    const status = await rt.status();
    expect(status.policyProblems).toEqual(['failMode ("sometimes") should be one of "open", "closed"; the default is used instead.']);
    expect(status.packs.map((p) => [p.id, p.origin, p.locked, p.audit])).toEqual([
      ['org.inline', 'inline pack 1', true, true],
      ['replyguard.builtin', 'built-in', false, false],
    ]);
    const findings = checkAll(await rt.packs(), 'osprey heron');
    expect(findings.map((f) => [f.rule, f.mode])).toEqual([
      ['inline.rule', 'audit'],
      ['builtin.heron', 'enforce'],
    ]);
  });

  it('failMode closed holds posts while a named organisation pack is not in use', async () => {
    await fakeBrowser.storage.managed.set({ packUrls: [server.url(path)], packPublicKeys: [keys.publicKey], failMode: 'closed' });
    const rt = start();
    await settle(rt);
    expect((await rt.status()).holdPosts).toBe(true);
    await publish(path, '1.0.0', ['bluebird']);
    await rt.updateNow();
    expect((await rt.status()).holdPosts).toBe(false);
  });

  it('schedules the 6-hourly update alarm, and the alarm triggers a fetch', async () => {
    await publish(path, '1.0.0', ['bluebird']);
    await fakeBrowser.storage.managed.set({ packUrls: [server.url(path)], packPublicKeys: [keys.publicKey] });
    const rt = start();
    await settle(rt);
    expect(await fakeBrowser.alarms.get(UPDATE_ALARM)).toMatchObject({ periodInMinutes: 360 });
    await publish(path, '1.2.0', ['merlin']);
    await fakeBrowser.alarms.onAlarm.trigger({ name: UPDATE_ALARM, scheduledTime: Date.now(), persistAcrossSessions: true });
    await settle(rt);
    expect(await words(rt, 'merlin bluebird')).toEqual(['org.policy:merlin']);
  });
});
