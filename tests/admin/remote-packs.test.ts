import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  compareSemver,
  DEFAULT_UPDATE_PERIOD_MINUTES,
  loadStoredRemotePacks,
  scheduleRemotePackUpdates,
  signatureUrl,
  STORED_PACKS_KEY,
  UPDATE_ALARM,
  updateRemotePacks,
  type StoredPack,
} from '../../src/admin/remote-packs';
import { makePack, memoryStore, startServer, testKeys, type TestKeys, type TestServer } from './helpers';

let server: TestServer;
let keys: TestKeys;
let otherKeys: TestKeys;

beforeAll(async () => {
  server = await startServer();
  keys = await testKeys();
  otherKeys = await testKeys();
});
afterAll(() => server.close());

let n = 0;
let path: string;
let store: ReturnType<typeof memoryStore>;
beforeEach(() => {
  path = `/packs/acme-${++n}.json`;
  store = memoryStore();
});

/** Publishes a pack (pretty JSON, as `pack sign` writes it) and its signature. */
async function publish(version: string, opts: { etag?: string; signer?: TestKeys; text?: string; sig?: string | null } = {}): Promise<string> {
  const text = opts.text ?? `${JSON.stringify(makePack('acme.policy', version, [{ id: 'acme.codename', terms: ['bluebird'] }]), null, 2)}\n`;
  server.set(path, { body: text, etag: opts.etag });
  const sig = opts.sig === undefined ? await (opts.signer ?? keys).sign(text) : opts.sig;
  server.set(`${path}.sig`, sig === null ? null : { body: sig });
  return text;
}

const update = (extra: Partial<Parameters<typeof updateRemotePacks>[0]> = {}) =>
  updateRemotePacks({ urls: [server.url(path)], trustedKeys: [keys.publicKey], store, ...extra });

describe('updateRemotePacks', () => {
  it('fetches, verifies, validates and stores a signed pack', async () => {
    const text = await publish('1.0.0', { etag: '"v1"' });
    const r = await update({ now: () => 1000 });
    expect(r.packs).toHaveLength(1);
    expect(r.packs[0]!.pack).toMatchObject({ id: 'acme.policy', version: '1.0.0' });
    expect(r.packs[0]!.pack.rules.map((x) => x.id)).toEqual(['acme.codename']);
    expect(r.states).toEqual([
      {
        url: server.url(path),
        ok: true,
        message: 'Updated to "Pack acme.policy" 1.0.0.',
        checkedAt: 1000,
        active: { packId: 'acme.policy', name: 'Pack acme.policy', version: '1.0.0', keyId: expect.stringMatching(/^[0-9a-f]{8}$/), fetchedAt: 1000 },
      },
    ]);
    const stored = (store.data.get(STORED_PACKS_KEY) as Record<string, StoredPack>)[server.url(path)]!;
    expect(stored).toMatchObject({ etag: '"v1"', text, version: '1.0.0', packId: 'acme.policy' });
  });

  it('sends If-None-Match with the stored ETag; a 304 keeps the stored pack without fetching the signature', async () => {
    await publish('1.0.0', { etag: '"v1"' });
    await update();
    const before = server.requests.length;
    const r = await update();
    const sent = server.requests.slice(before);
    expect(sent).toEqual([{ path, ifNoneMatch: '"v1"' }]);
    expect(r.states[0]).toMatchObject({ ok: true, message: 'Up to date: "Pack acme.policy" 1.0.0.' });
    expect(r.packs[0]!.pack.version).toBe('1.0.0');
  });

  it('takes a newer version, and records the new ETag', async () => {
    await publish('1.0.0', { etag: '"v1"' });
    await update();
    await publish('1.1.0', { etag: '"v2"' });
    const r = await update();
    expect(r.states[0]!.message).toBe('Updated to "Pack acme.policy" 1.1.0.');
    expect(r.packs[0]!.pack.version).toBe('1.1.0');
    expect((store.data.get(STORED_PACKS_KEY) as Record<string, StoredPack>)[server.url(path)]!.etag).toBe('"v2"');
  });

  it('a tampered update is refused and the last good pack stays active', async () => {
    await publish('1.0.0');
    await update();
    const good = await publish('1.1.0');
    const sig = await keys.sign(good);
    server.set(path, { body: good.replace('bluebird', 'bluebirx') });
    server.set(`${path}.sig`, { body: sig });
    const r = await update();
    expect(r.states[0]!.ok).toBe(false);
    expect(r.states[0]!.message).toMatch(/^Policy update failed: signature does not match .*\. Still using "Pack acme\.policy" 1\.0\.0\.$/);
    expect(r.packs[0]!.pack.version).toBe('1.0.0');
    expect(r.states[0]!.active?.version).toBe('1.0.0');
  });

  it('refuses a pack signed by an untrusted key', async () => {
    await publish('1.0.0', { signer: otherKeys });
    const r = await update();
    expect(r.packs).toEqual([]);
    expect(r.states[0]!.message).toMatch(/^Policy update failed: signature does not match .*\. No earlier version to fall back on\.$/);
    expect(store.data.get(STORED_PACKS_KEY)).toEqual({});
  });

  it('refuses a pack whose signature file is missing or truncated', async () => {
    await publish('1.0.0', { sig: null });
    const missing = await update();
    expect(missing.states[0]!.message).toBe(
      'Policy update failed: the server answered 404 Not Found for the signature file (.sig). No earlier version to fall back on.',
    );
    await publish('1.0.0', { sig: (await keys.sign('x')).slice(0, 50) });
    const truncated = await update();
    expect(truncated.states[0]!.message).toMatch(/^Policy update failed: the signature is damaged \(expected 64 bytes in base64, got/);
  });

  it('rollback protection: a correctly signed older version is refused', async () => {
    await publish('2.0.0');
    await update();
    await publish('1.9.9');
    const r = await update();
    expect(r.states[0]!.message).toBe(
      'Policy update failed: version 1.9.9 is older than version 2.0.0 already accepted (rollback refused). Still using "Pack acme.policy" 2.0.0.',
    );
    expect(r.packs[0]!.pack.version).toBe('2.0.0');
    // The same version again is accepted (re-published without a change of version).
    await publish('2.0.0');
    expect((await update()).states[0]!.ok).toBe(true);
  });

  it('an invalid pack (signed, but not a valid pack) is refused with the engine\'s words', async () => {
    const bad = makePack('acme.policy', '1.0.0', [{ id: 'x', terms: ['y'] }]);
    (bad.rules[0] as { clause: string }).clause = 'nope';
    await publish('1.0.0', { text: JSON.stringify(bad) });
    const r = await update();
    expect(r.states[0]!.message).toMatch(/^Policy update failed: the pack is not valid: rule "x", field "clause": clause "nope" is not in the policy/);
    await publish('1.0.0', { text: '{"id": "acme", ' });
    expect((await update()).states[0]!.message).toMatch(/^Policy update failed: the pack is not valid JSON \(/);
    const latin1 = new Uint8Array([0x7b, 0xe9, 0x7d]);
    server.set(path, { body: latin1 });
    server.set(`${path}.sig`, { body: await keys.sign(latin1) });
    expect((await update()).states[0]!.message).toMatch(/^Policy update failed: the pack is not UTF-8 text\./);
  });

  it('network failures, HTTP errors, timeouts and oversized packs keep the last good pack', async () => {
    await publish('1.0.0');
    await update();
    server.set(path, { status: 500, body: 'oops' });
    expect((await update()).states[0]!.message).toBe(
      'Policy update failed: the server answered 500 Internal Server Error for the pack. Still using "Pack acme.policy" 1.0.0.',
    );
    server.set(path, { body: '{}', delayMs: 1500 });
    const slow = await update({ timeoutMs: 200 });
    expect(slow.states[0]!.message).toMatch(/^Policy update failed: the server did not send the pack within 0.2 seconds\. Still using/);
    const text = await publish('1.1.0');
    const big = await update({ maxBytes: text.length - 1 });
    expect(big.states[0]!.message).toMatch(/^Policy update failed: the pack is larger than \d+ KB\. Still using/);
    const down = await updateRemotePacks({ urls: ['http://127.0.0.1:1/pack.json'], trustedKeys: [keys.publicKey], store });
    expect(down.states[0]!.message).toMatch(/^Policy update failed: could not reach the server for the pack \(.+\)\. No earlier version/);
    expect(down.packs).toEqual([]);
  });

  it('a key removed from packPublicKeys retires the stored packs it signed', async () => {
    await publish('1.0.0', { etag: '"v1"' });
    await update();
    const r = await update({ trustedKeys: [otherKeys.publicKey] });
    expect(r.packs).toEqual([]);
    // No If-None-Match: the stored copy is not trusted, so the full pack is fetched again (and refused).
    expect(server.requests.at(-2)).toEqual({ path, ifNoneMatch: undefined });
    expect(r.states[0]!.message).toMatch(/^Policy update failed: signature does not match/);
    const offline = await loadStoredRemotePacks({ urls: [server.url(path)], trustedKeys: [otherKeys.publicKey], store });
    expect(offline.packs).toEqual([]);
    expect(offline.states[0]!.message).toMatch(/^Policy pack not in use: the stored copy is no longer trusted: signature does not match/);
  });

  it('several URLs are independent; stored copies of URLs no longer configured are dropped', async () => {
    const first = path;
    await publish('1.0.0');
    path = `/packs/other-${n}.json`;
    await publish('3.0.0', { sig: null });
    const urls = [server.url(first), server.url(path)];
    const r = await updateRemotePacks({ urls, trustedKeys: [keys.publicKey], store });
    expect(r.states.map((s) => s.ok)).toEqual([true, false]);
    expect(r.packs.map((p) => p.url)).toEqual([server.url(first)]);
    await updateRemotePacks({ urls: [server.url(path)], trustedKeys: [keys.publicKey], store });
    expect(Object.keys(store.data.get(STORED_PACKS_KEY) as object)).toEqual([]);
  });
});

describe('loadStoredRemotePacks', () => {
  it('uses the last good packs without touching the network', async () => {
    await publish('1.2.0');
    await update();
    const before = server.requests.length;
    const r = await loadStoredRemotePacks({ urls: [server.url(path), 'https://never.example/p.json'], trustedKeys: [keys.publicKey], store });
    expect(server.requests.length).toBe(before);
    expect(r.packs.map((p) => p.pack.version)).toEqual(['1.2.0']);
    expect(r.states.map((s) => s.message)).toEqual(['Using "Pack acme.policy" 1.2.0 (not yet checked for updates).', 'Not downloaded yet.']);
  });

  it('a stored copy altered in storage is not used', async () => {
    await publish('1.2.0');
    await update();
    const all = store.data.get(STORED_PACKS_KEY) as Record<string, StoredPack>;
    all[server.url(path)]!.text = all[server.url(path)]!.text.replace('bluebird', 'redbird');
    const r = await loadStoredRemotePacks({ urls: [server.url(path)], trustedKeys: [keys.publicKey], store });
    expect(r.packs).toEqual([]);
  });
});

describe('helpers', () => {
  it('compareSemver follows semantic-version precedence', () => {
    const ordered = ['0.9.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.10.0', '2.0.0'];
    for (let i = 0; i < ordered.length - 1; i++) {
      expect(compareSemver(ordered[i]!, ordered[i + 1]!), `${ordered[i]} < ${ordered[i + 1]}`).toBe(-1);
      expect(compareSemver(ordered[i + 1]!, ordered[i]!)).toBe(1);
    }
    expect(compareSemver('1.2.3+build.5', '1.2.3')).toBe(0);
  });

  it('signatureUrl adds .sig to the path and keeps the query', () => {
    expect(signatureUrl('https://h.example/p/acme.json')).toBe('https://h.example/p/acme.json.sig');
    expect(signatureUrl('https://h.example/acme.json?v=2')).toBe('https://h.example/acme.json.sig?v=2');
  });
});

describe('scheduleRemotePackUpdates', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => fakeBrowser.reset());

  it('creates a 6-hour alarm once and calls back when it fires', async () => {
    let due = 0;
    const s = scheduleRemotePackUpdates(fakeBrowser.alarms, () => due++);
    await s.ready;
    const alarm = await fakeBrowser.alarms.get(UPDATE_ALARM);
    expect(alarm).toMatchObject({ name: UPDATE_ALARM, periodInMinutes: DEFAULT_UPDATE_PERIOD_MINUTES });
    expect(DEFAULT_UPDATE_PERIOD_MINUTES).toBe(360);
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'something-else', scheduledTime: 0, persistAcrossSessions: true });
    expect(due).toBe(0);
    await fakeBrowser.alarms.onAlarm.trigger({ name: UPDATE_ALARM, scheduledTime: 0, persistAcrossSessions: true });
    expect(due).toBe(1);
    s.stop();
    await fakeBrowser.alarms.onAlarm.trigger({ name: UPDATE_ALARM, scheduledTime: 0, persistAcrossSessions: true });
    expect(due).toBe(1);
  });

  it('a service-worker restart keeps the existing alarm (re-creating it would postpone every update)', async () => {
    await scheduleRemotePackUpdates(fakeBrowser.alarms, () => undefined).ready;
    const first = (await fakeBrowser.alarms.get(UPDATE_ALARM))!.scheduledTime;
    await new Promise((r) => setTimeout(r, 5));
    await scheduleRemotePackUpdates(fakeBrowser.alarms, () => undefined).ready;
    expect((await fakeBrowser.alarms.get(UPDATE_ALARM))!.scheduledTime).toBe(first);
    // A different period replaces it.
    await scheduleRemotePackUpdates(fakeBrowser.alarms, () => undefined, 60).ready;
    expect((await fakeBrowser.alarms.get(UPDATE_ALARM))!.periodInMinutes).toBe(60);
  });
});
