/**
 * Organisation packs fetched from the policy's packUrls. Each update goes
 * through the same gate — fetch (If-None-Match), fetch "<url>.sig", check the
 * signature against packPublicKeys, parse, validate and compile with the
 * engine, refuse a version older than the active one — and on ANY failure the
 * last known good pack stays active and the failure is recorded in plain
 * words ("Policy update failed: signature does not match ..."). The last good
 * pack is stored with its exact bytes and signature and is checked again on
 * every load, so removing a key from packPublicKeys also retires the packs it
 * signed.
 */
import { compilePack, PackValidationError } from '../engine/compile';
import type { Pack } from '../engine/schema';
import { verifySignature } from './signature';

/** Where the last known good packs live (browser.storage.local in the extension; a Map in tests). */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** A KeyValueStore over a WebExtension storage area (browser.storage.local). */
export function storageAreaStore(area: {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}): KeyValueStore {
  return {
    get: async (key) => (await area.get(key))[key],
    set: (key, value) => area.set({ [key]: value }),
  };
}

export const STORED_PACKS_KEY = 'replyguard.admin.remotePacks';

/** The last known good copy of one URL's pack, exactly as it was published. */
export interface StoredPack {
  url: string;
  etag: string | null;
  /** The pack file's bytes as text (decoded losslessly: UTF-8, BOM kept), so the signature can be checked again. */
  text: string;
  signature: string;
  packId: string;
  version: string;
  fetchedAt: number;
}

export interface RemotePackState {
  url: string;
  /** The last update attempt brought a valid pack or confirmed the stored one is current. */
  ok: boolean;
  /** One plain sentence for settings and the popup. */
  message: string;
  checkedAt: number;
  /** The pack in use for this URL, if any. */
  active: { packId: string; name: string; version: string; keyId: string; fetchedAt: number } | null;
}

export interface RemotePacks {
  /** The packs to use, in packUrls order (URLs without a usable pack are left out). */
  packs: Array<{ url: string; pack: Pack }>;
  states: RemotePackState[];
}

export interface RemotePackOptions {
  urls: readonly string[];
  trustedKeys: readonly string[];
  store: KeyValueStore;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** Per request (pack or signature). */
  timeoutMs?: number;
  /** Larger responses are refused, so a wrong URL cannot fill memory. */
  maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** -1, 0 or 1, by semantic-version precedence (build metadata ignored; a pre-release sorts before its release). */
export function compareSemver(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('+')[0]!.split(/-(.*)/s);
    return { core: core.split('.').map(Number), pre: pre ? pre.split('.') : [] };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.core[i] ?? 0) - (y.core[i] ?? 0);
    if (d) return Math.sign(d);
  }
  if (!x.pre.length || !y.pre.length) return x.pre.length === y.pre.length ? 0 : x.pre.length ? -1 : 1;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn && Number(p) !== Number(q)) return Math.sign(Number(p) - Number(q));
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

/** The signature lives at the pack's address with ".sig" added to the path (any query string kept). */
export function signatureUrl(packUrl: string): string {
  const url = new URL(packUrl);
  url.pathname += '.sig';
  return url.href;
}

class UpdateFailure extends Error {}

const utf8 = new TextEncoder();

/** Lossless: invalid UTF-8 is refused rather than replaced, and a BOM is kept, so re-encoding gives the signed bytes back. */
function decodeExact(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UpdateFailure('the pack is not UTF-8 text');
  }
}

/** Validates and compiles a pack text; returns the parsed pack or throws UpdateFailure in plain words. */
function validatePackText(text: string): Pack {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UpdateFailure(`the pack is not valid JSON (${(e as Error).message})`);
  }
  try {
    return compilePack(data as never).pack;
  } catch (e) {
    if (e instanceof PackValidationError) {
      const [first, ...rest] = e.problems;
      throw new UpdateFailure(`the pack is not valid: ${first}${rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : ''}`);
    }
    throw new UpdateFailure(`the pack could not be compiled (${(e as Error).message})`);
  }
}

async function readStored(store: KeyValueStore): Promise<Record<string, StoredPack>> {
  const value = await store.get(STORED_PACKS_KEY).catch(() => undefined);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, StoredPack>) : {};
}

function isStoredPack(v: unknown): v is StoredPack {
  const s = v as StoredPack | null;
  return !!s && typeof s === 'object' && typeof s.text === 'string' && typeof s.signature === 'string' && typeof s.version === 'string';
}

interface Trusted {
  record: StoredPack;
  pack: Pack;
  keyId: string;
}

/** Re-checks a stored copy: signature against today's keys, then the pack itself. */
async function trustStored(record: unknown, keys: readonly string[]): Promise<{ trusted: Trusted | null; problem?: string }> {
  if (!isStoredPack(record)) return { trusted: null };
  const sig = await verifySignature(utf8.encode(record.text), record.signature, keys);
  if (!sig.ok) return { trusted: null, problem: `the stored copy is no longer trusted: ${sig.problem}` };
  try {
    return { trusted: { record, pack: validatePackText(record.text), keyId: sig.keyId } };
  } catch (e) {
    // A pack valid when fetched but not for this engine version (after an extension update).
    return { trusted: null, problem: `the stored copy is no longer usable: ${(e as Error).message}` };
  }
}

function activeOf(t: Trusted | null): RemotePackState['active'] {
  return t ? { packId: t.pack.id, name: t.pack.name, version: t.pack.version, keyId: t.keyId, fetchedAt: t.record.fetchedAt } : null;
}

function failed(url: string, problem: string, fallback: Trusted | null, now: number): RemotePackState {
  const keeping = fallback ? `Still using "${fallback.pack.name}" ${fallback.pack.version}.` : 'No earlier version to fall back on.';
  return { url, ok: false, message: `Policy update failed: ${problem}. ${keeping}`, checkedAt: now, active: activeOf(fallback) };
}

async function fetchBytes(
  doFetch: typeof globalThis.fetch,
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  maxBytes: number,
  what: string,
): Promise<{ status: number; etag: string | null; body: Uint8Array }> {
  let response: Response;
  try {
    response = await doFetch(url, {
      headers,
      // Our own If-None-Match decides freshness; the HTTP cache would only hide a 304 from us.
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const err = e as Error;
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      throw new UpdateFailure(`the server did not send the ${what} within ${timeoutMs / 1000} seconds`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new UpdateFailure(`could not reach the server for the ${what} (${cause?.code ?? cause?.message ?? err.message})`);
  }
  if (response.status === 304) return { status: 304, etag: response.headers.get('etag'), body: new Uint8Array() };
  if (!response.ok)
    throw new UpdateFailure(`the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for the ${what}`);
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) throw new UpdateFailure(`the ${what} is larger than ${Math.round(maxBytes / 1024)} KB`);
  const body = new Uint8Array(await response.arrayBuffer());
  if (body.length > maxBytes) throw new UpdateFailure(`the ${what} is larger than ${Math.round(maxBytes / 1024)} KB`);
  return { status: response.status, etag: response.headers.get('etag'), body };
}

/**
 * The stored (last known good) packs for the configured URLs, without any
 * network access: what the background uses at start-up, before an update.
 */
export async function loadStoredRemotePacks(options: Pick<RemotePackOptions, 'urls' | 'trustedKeys' | 'store' | 'now'>): Promise<RemotePacks> {
  const now = (options.now ?? Date.now)();
  const stored = await readStored(options.store);
  const result: RemotePacks = { packs: [], states: [] };
  for (const url of options.urls) {
    const { trusted, problem } = await trustStored(stored[url], options.trustedKeys);
    if (trusted) result.packs.push({ url, pack: trusted.pack });
    result.states.push({
      url,
      ok: !!trusted,
      message: trusted
        ? `Using "${trusted.pack.name}" ${trusted.pack.version} (not yet checked for updates).`
        : problem
          ? `Policy pack not in use: ${problem}.`
          : 'Not downloaded yet.',
      checkedAt: now,
      active: activeOf(trusted),
    });
  }
  return result;
}

/**
 * Fetches every URL, accepts what passes the gate and keeps the last known
 * good pack otherwise. Stored copies for URLs no longer configured are dropped.
 */
export async function updateRemotePacks(options: RemotePackOptions): Promise<RemotePacks> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = (options.now ?? Date.now)();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const stored = await readStored(options.store);
  const next: Record<string, StoredPack> = {};
  const result: RemotePacks = { packs: [], states: [] };

  for (const url of options.urls) {
    const { trusted: lastGood } = await trustStored(stored[url], options.trustedKeys);
    // Keep the record even if it is no longer trusted: its version still guards against rollback.
    if (isStoredPack(stored[url])) next[url] = stored[url];
    const floor = isStoredPack(stored[url]) ? stored[url].version : null;
    let state: RemotePackState;
    let accepted: Trusted | null = lastGood;
    try {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (lastGood?.record.etag) headers['if-none-match'] = lastGood.record.etag;
      const response = await fetchBytes(doFetch, url, headers, timeoutMs, maxBytes, 'pack');
      if (response.status === 304 && lastGood) {
        state = { url, ok: true, message: `Up to date: "${lastGood.pack.name}" ${lastGood.pack.version}.`, checkedAt: now, active: activeOf(lastGood) };
      } else {
        if (response.status === 304) throw new UpdateFailure('the server answered 304 Not Modified but no copy is stored');
        const bytes = response.body;
        const sigResponse = await fetchBytes(doFetch, signatureUrl(url), {}, timeoutMs, 4096, 'signature file (.sig)');
        const signature = new TextDecoder().decode(sigResponse.body);
        // The signature is checked before the pack is even parsed.
        const sig = await verifySignature(bytes, signature, options.trustedKeys);
        if (!sig.ok) throw new UpdateFailure(sig.problem);
        const text = decodeExact(bytes);
        const pack = validatePackText(text);
        if (floor && compareSemver(pack.version, floor) < 0)
          throw new UpdateFailure(`version ${pack.version} is older than version ${floor} already accepted (rollback refused)`);
        const record: StoredPack = {
          url,
          etag: response.etag,
          text,
          signature: signature.trim(),
          packId: pack.id,
          version: pack.version,
          fetchedAt: now,
        };
        next[url] = record;
        accepted = { record, pack, keyId: sig.keyId };
        const same = lastGood && lastGood.record.text === text;
        state = {
          url,
          ok: true,
          message: same ? `Up to date: "${pack.name}" ${pack.version}.` : `Updated to "${pack.name}" ${pack.version}.`,
          checkedAt: now,
          active: activeOf(accepted),
        };
      }
    } catch (e) {
      if (!(e instanceof UpdateFailure)) throw e;
      accepted = lastGood;
      state = failed(url, e.message, lastGood, now);
    }
    if (accepted) result.packs.push({ url, pack: accepted.pack });
    result.states.push(state);
  }
  await options.store.set(STORED_PACKS_KEY, next);
  return result;
}

export const UPDATE_ALARM = 'replyguard-admin-pack-update';
export const DEFAULT_UPDATE_PERIOD_MINUTES = 6 * 60;

/** The part of browser.alarms the schedule needs. */
export interface AlarmsLike {
  get(name: string): Promise<{ name: string; periodInMinutes?: number } | undefined | null>;
  create(name: string, info: { periodInMinutes: number; delayInMinutes?: number }): unknown;
  onAlarm: {
    addListener(listener: (alarm: { name: string }) => void): void;
    removeListener(listener: (alarm: { name: string }) => void): void;
  };
}

/**
 * Calls onDue every periodMinutes through browser.alarms (default 6 hours).
 * Call it synchronously when the background starts, so an alarm that wakes
 * the service worker finds its listener. The alarm is created only when it is
 * missing or its period changed: re-creating it on every service-worker start
 * would push the next update back each time and it would never come.
 * Returns a function that removes the listener.
 */
export function scheduleRemotePackUpdates(
  alarms: AlarmsLike,
  onDue: () => void,
  periodMinutes: number = DEFAULT_UPDATE_PERIOD_MINUTES,
): { ready: Promise<void>; stop(): void } {
  const listener = (alarm: { name: string }): void => {
    if (alarm.name === UPDATE_ALARM) onDue();
  };
  alarms.onAlarm.addListener(listener);
  const ready = Promise.resolve(alarms.get(UPDATE_ALARM))
    .then(async (existing) => {
      if (existing?.periodInMinutes !== periodMinutes) await alarms.create(UPDATE_ALARM, { periodInMinutes: periodMinutes, delayInMinutes: periodMinutes });
    })
    .catch(() => undefined);
  return { ready, stop: () => alarms.onAlarm.removeListener(listener) };
}
