/**
 * The organisation-policy side of the background: reads the managed policy
 * (and follows its changes live), keeps the signed remote packs current (at
 * start and on an alarm, every 6 hours by default), and resolves which packs
 * run. The engine host asks it for the compiled packs and reloads when told
 * the set changed; the popup and settings read the status it stores.
 *
 * Start-up never waits for the network: the last known good packs are used
 * first, and the update that follows replaces them only if it passes every
 * check (remote-packs.ts).
 */
import type { CompiledPack } from '../engine/types';
import type { ManagedKey, ManagedPolicy } from './managed-config';
import { buildPackSet, type CandidatePack, type PackSet, type PackSource } from './pack-set';
import { readManagedPolicy, watchManagedPolicy, type ManagedRead, type ManagedStorageLike } from './read-managed';
import {
  loadStoredRemotePacks,
  scheduleRemotePackUpdates,
  storageAreaStore,
  updateRemotePacks,
  type AlarmsLike,
  type RemotePacks,
  type RemotePackState,
} from './remote-packs';

/** Where the status is kept for the popup and settings pages (browser.storage.local). */
export const ADMIN_STATUS_KEY = 'replyguard.admin.status';
/** When the remote packs were last checked, and for which URLs and keys. */
const LAST_CHECK_KEY = 'replyguard.admin.lastCheck';

export interface AdminStatus {
  /** The browser delivered an organisation policy. */
  managed: boolean;
  policy: ManagedPolicy;
  /** Keys the organisation set: settings show them as "set by your organisation". */
  configured: ManagedKey[];
  /** Policy values that were ignored, one plain sentence each. */
  policyProblems: string[];
  /** One entry per packUrl: the last update's result and the pack in use. */
  remote: RemotePackState[];
  packs: Array<{
    id: string;
    name: string;
    version: string;
    publisher: string;
    source: PackSource;
    origin: string;
    locked: boolean;
    audit: boolean;
    rules: number;
    shadowed: string[];
  }>;
  /** Packs that could not be used. */
  packProblems: string[];
  skipped: PackSet['skipped'];
  /**
   * failMode "closed" and an organisation pack that the policy names is not
   * in use (never downloaded, or invalid): posts should be held until it is.
   */
  holdPosts: boolean;
  updatedAt: number;
}

export interface AdminRuntimeOptions {
  /** browser.storage: managed (policy), local (last good packs, status), onChanged. */
  storage: ManagedStorageLike & {
    local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> };
  };
  /** browser.alarms; without it remote packs update only at start and on policy changes. */
  alarms?: AlarmsLike;
  /** The built-in pack as data (rules/generated/builtin.json). */
  builtinPack: unknown;
  /** The user's own packs, when settings has them. */
  loadUserPacks?: () => Promise<CandidatePack[]>;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  updatePeriodMinutes?: number;
  /**
   * A service worker starts many times a day (it sleeps when idle); the
   * start-up update is skipped if the same URLs were checked less than this
   * many minutes ago (default 30), so a fleet of browsers does not ask the
   * pack server on every wake. The alarm and policy changes always check.
   */
  startupRefreshMinutes?: number;
}

export interface AdminChange {
  status: AdminStatus;
  /** The compiled packs changed: the engine should reload them. */
  packsChanged: boolean;
}

export interface AdminRuntime {
  /** Resolves once the policy and the stored packs are loaded (not waiting for the network). */
  ready: Promise<void>;
  /** The packs to check with, in precedence order. */
  packs(): Promise<CompiledPack[]>;
  packSet(): Promise<PackSet>;
  status(): Promise<AdminStatus>;
  /** Fetches the remote packs now; runs at start, on the alarm and when packUrls or keys change. */
  updateNow(): Promise<void>;
  /** Rebuilds the pack set without the network: call it after the user's own packs change. */
  refresh(): Promise<void>;
  onChange(listener: (change: AdminChange) => void): () => void;
  /** Resolves when the queued work (start-up update, policy changes) is done; for tests and status pages. */
  settled(): Promise<void>;
  stop(): void;
}

/** What decides the compiled packs; equal fingerprints mean nothing to recompile. */
function fingerprint(read: ManagedRead, remote: RemotePacks, user: CandidatePack[]): string {
  const p = read.policy;
  return JSON.stringify([remote.packs, p.inlinePacks, p.disableBuiltInPack, p.allowUserPacks, p.auditPacks, user]);
}

function statusOf(read: ManagedRead, remote: RemotePacks, set: PackSet, now: number): AdminStatus {
  const activeAdmin = new Set(set.packs.filter((p) => p.source === 'admin').map((p) => p.origin));
  const expected = [...read.policy.packUrls, ...read.policy.inlinePacks.map((_, i) => `inline pack ${i + 1}`)];
  return {
    managed: read.source === 'managed' && read.configured.length > 0,
    policy: read.policy,
    configured: read.configured,
    policyProblems: read.problems,
    remote: remote.states,
    packs: set.packs.map((p) => ({
      id: p.pack.id,
      name: p.pack.name,
      version: p.pack.version,
      publisher: p.pack.publisher,
      source: p.source,
      origin: p.origin,
      locked: p.locked,
      audit: p.audit,
      rules: p.pack.rules.length,
      shadowed: p.shadowed,
    })),
    packProblems: set.problems,
    skipped: set.skipped,
    holdPosts: read.policy.failMode === 'closed' && expected.some((origin) => !activeAdmin.has(origin)),
    updatedAt: now,
  };
}

export function startAdminRuntime(options: AdminRuntimeOptions): AdminRuntime {
  const now = options.now ?? Date.now;
  const store = storageAreaStore(options.storage.local);
  const listeners = new Set<(change: AdminChange) => void>();
  let read: ManagedRead;
  let remote: RemotePacks = { packs: [], states: [] };
  let current: { set: PackSet; status: AdminStatus; print: string } | undefined;
  let updating: Promise<void> = Promise.resolve();
  let stopped = false;

  const rebuild = async (): Promise<void> => {
    const user = (await options.loadUserPacks?.().catch(() => [])) ?? [];
    const print = fingerprint(read, remote, user);
    const packsChanged = !current || current.print !== print;
    const set = packsChanged
      ? buildPackSet({
          admin: [
            ...remote.packs.map((p) => ({ origin: p.url, data: p.pack })),
            ...read.policy.inlinePacks.map((data, i) => ({ origin: `inline pack ${i + 1}`, data })),
          ],
          builtin: options.builtinPack,
          user,
          policy: read.policy,
        })
      : current!.set;
    const status = statusOf(read, remote, set, now());
    current = { set, status, print };
    await options.storage.local.set({ [ADMIN_STATUS_KEY]: status }).catch(() => undefined);
    for (const listener of listeners) listener({ status, packsChanged });
  };

  const sourcesOf = (r: ManagedRead): string => JSON.stringify([r.policy.packUrls, r.policy.packPublicKeys]);

  const fetchUpdates = async (): Promise<void> => {
    if (stopped) return;
    remote = await updateRemotePacks({
      urls: read.policy.packUrls,
      trustedKeys: read.policy.packPublicKeys,
      store,
      fetch: options.fetch,
      now,
    });
    await store.set(LAST_CHECK_KEY, { at: now(), sources: sourcesOf(read) }).catch(() => undefined);
    await rebuild();
  };

  /** The start-up update, unless the same sources were checked a moment ago (by an earlier service worker). */
  const startupUpdate = async (): Promise<void> => {
    const last = (await store.get(LAST_CHECK_KEY).catch(() => undefined)) as { at?: number; sources?: string } | undefined;
    const fresh = (options.startupRefreshMinutes ?? 30) * 60_000;
    if (last?.sources === sourcesOf(read) && typeof last.at === 'number' && now() - last.at >= 0 && now() - last.at < fresh) return;
    await fetchUpdates();
  };

  /** One task at a time (an update, a policy change), in the order asked; a failed task does not stop later ones. */
  const enqueue = (task: () => Promise<void>): Promise<void> => {
    const run = updating.then(() => ready).then(task);
    updating = run.catch((e: unknown) => console.error('ReplyGuard: organisation policy update failed', e));
    return run;
  };
  const updateNow = (): Promise<void> => enqueue(fetchUpdates);

  // Registered before anything awaits, so an alarm that woke the service worker is delivered.
  const schedule = options.alarms
    ? scheduleRemotePackUpdates(options.alarms, () => void updateNow().catch(() => undefined), options.updatePeriodMinutes)
    : undefined;

  const ready = (async () => {
    read = await readManagedPolicy(options.storage);
    remote = await loadStoredRemotePacks({ urls: read.policy.packUrls, trustedKeys: read.policy.packPublicKeys, store, now });
    await rebuild();
  })();
  void enqueue(startupUpdate).catch(() => undefined);

  const unwatch = watchManagedPolicy(options.storage, (next) => {
    void enqueue(async () => {
      const sourcesChanged = sourcesOf(next) !== sourcesOf(read);
      read = next;
      if (sourcesChanged) await fetchUpdates();
      else await rebuild();
    }).catch(() => undefined);
  });

  return {
    ready,
    packs: async () => {
      await ready;
      return current!.set.packs.map((p) => p.compiled);
    },
    packSet: async () => {
      await ready;
      return current!.set;
    },
    status: async () => {
      await ready;
      return current!.status;
    },
    updateNow,
    refresh: () => enqueue(rebuild),
    settled: async () => {
      // A task may queue another (a policy change during an update): wait until the queue stays put.
      for (let seen: Promise<void> | undefined; seen !== updating; ) await (seen = updating);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      schedule?.stop();
      unwatch();
      listeners.clear();
    },
  };
}
