/**
 * The settings page's component tests: AdminStatus fixtures shaped as the background writes them,
 * and in-memory services that behave like storage (changes reach watchers), with pack files
 * checked by the real validator (checkPackFile) so the page shows real problems.
 */
import type { AdminStatus } from '../../../src/admin/admin-runtime';
import { DEFAULT_POLICY, type ManagedPolicy } from '../../../src/admin/managed-config';
import type { CheckResponse } from '../../../src/background/protocol';
import { checkPackFile } from '../../../src/settings/pack-import';
import type { SitePrefs } from '../../../src/settings/site-prefs';
import type { StoredUserPack, UserPackList } from '../../../src/settings/user-packs';
import type { BuiltinInfo } from '../../../src/ui/options/pack-rows';
import type { OptionsServices } from '../../../src/ui/options/services';
import { makePack } from '../../admin/helpers';

// The page shows times in the browser's time zone; the expected texts in these tests are in UTC,
// so they pass on a machine set to any zone (Node reads TZ again when it changes).
process.env.TZ = 'UTC';

export const BUILTIN: BuiltinInfo = { id: 'replyguard.builtin', name: 'ReplyGuard built-in policy', version: '0.1.0', publisher: 'ReplyGuard' };

type StatusPack = AdminStatus['packs'][number];

export const builtinStatusPack: StatusPack = {
  ...BUILTIN,
  source: 'builtin',
  origin: 'built-in',
  locked: false,
  audit: false,
  rules: 253,
  shadowed: [],
};

export function adminStatus(overrides: Partial<Omit<AdminStatus, 'policy'>> & { policy?: Partial<ManagedPolicy> } = {}): AdminStatus {
  const { policy, ...rest } = overrides;
  return {
    managed: false,
    policy: { ...structuredClone(DEFAULT_POLICY), ...policy } as ManagedPolicy,
    configured: [],
    policyProblems: [],
    remote: [],
    packs: [builtinStatusPack],
    packProblems: [],
    skipped: [],
    holdPosts: false,
    updatedAt: Date.UTC(2026, 10, 26, 9, 0),
    ...rest,
  };
}

export function storedUserPack(id: string, enabled = true, fileName = `${id}.yaml`): StoredUserPack {
  const pack = makePack(id, '1.0.0', [{ id: `${id}.rule`, terms: ['Bluebird'] }]);
  return { id, fileName, enabled, importedAt: Date.UTC(2026, 10, 25, 14, 30), pack: { ...pack, name: `Team pack ${id}` } as StoredUserPack['pack'] };
}

export function userStatusPack(id: string, origin = `${id}.yaml`): StatusPack {
  return { id, name: `Team pack ${id}`, version: '1.0.0', publisher: 'Test Org', source: 'user', origin, locked: false, audit: false, rules: 1, shadowed: [] };
}

export interface FakeServices {
  services: OptionsServices;
  setStatus(status: unknown): void;
  calls: string[];
  userPacks(): UserPackList;
  sites(): SitePrefs;
}

export function fakeServices(
  init: {
    status?: unknown;
    userPacks?: UserPackList;
    sites?: SitePrefs;
    check?: (text: string) => Promise<CheckResponse>;
  } = {},
): FakeServices {
  let status = init.status;
  let packs: UserPackList = init.userPacks ?? { packs: [], problems: [] };
  let sites: SitePrefs = init.sites ?? { switchedOff: [], problems: [] };
  const statusWatchers = new Set<(raw: unknown) => void>();
  const packWatchers = new Set<(list: UserPackList) => void>();
  const siteWatchers = new Set<(prefs: SitePrefs) => void>();
  const calls: string[] = [];
  const setPacks = (next: UserPackList) => {
    packs = next;
    for (const w of packWatchers) w(next);
  };
  const setSites = (next: SitePrefs) => {
    sites = next;
    for (const w of siteWatchers) w(next);
  };
  const watch = <T>(set: Set<(v: T) => void>) => (cb: (v: T) => void) => {
    set.add(cb);
    return () => void set.delete(cb);
  };

  const services: OptionsServices = {
    loadStatus: async () => status,
    watchStatus: watch(statusWatchers),
    readUserPacks: async () => packs,
    watchUserPacks: watch(packWatchers),
    async setUserPackEnabled(id, enabled) {
      calls.push(`enabled ${id} ${enabled}`);
      setPacks({ ...packs, packs: packs.packs.map((p) => (p.id === id ? { ...p, enabled } : p)) });
    },
    async removeUserPack(id) {
      calls.push(`remove ${id}`);
      setPacks({ ...packs, packs: packs.packs.filter((p) => p.id !== id) });
    },
    async removeDamagedUserPacks() {
      calls.push('remove damaged');
      setPacks({ ...packs, problems: [] });
    },
    async importPack(fileName, text, context) {
      calls.push(`import ${fileName}`);
      if (!context.allowUserPacks) return { ok: false, problems: ['Your organisation does not allow your own packs, so this file was not imported.'] };
      const checked = checkPackFile(fileName, text);
      if (!checked.ok) return checked;
      const owner = context.reservedPackIds.get(checked.pack.id);
      if (owner) return { ok: false, problems: [`${fileName}: the pack id "${checked.pack.id}" is already used by ${owner}`] };
      const stored: StoredUserPack = { id: checked.pack.id, fileName, enabled: true, importedAt: Date.now(), pack: checked.pack as StoredUserPack['pack'] };
      setPacks({ ...packs, packs: [...packs.packs.filter((p) => p.id !== stored.id), stored] });
      return { ok: true, pack: { id: checked.pack.id, name: checked.pack.name, version: checked.pack.version }, rules: checked.rules, replaced: null };
    },
    listSites: async () => sites,
    watchSites: watch(siteWatchers),
    async setSiteSwitchedOff(host, off) {
      calls.push(`site ${host} ${off ? 'off' : 'on'}`);
      const others = sites.switchedOff.filter((s) => s.host !== host);
      setSites({ ...sites, switchedOff: off ? [...others, { host, since: Date.UTC(2026, 10, 26, 10, 0) }] : others });
    },
    check: init.check ?? (async () => ({ ok: true, findings: [] })),
    getURL: (path) => `chrome-extension://replyguard-test${path}`,
  };
  return {
    services,
    calls,
    setStatus(next) {
      status = next;
      for (const w of statusWatchers) w(next);
    },
    userPacks: () => packs,
    sites: () => sites,
  };
}
