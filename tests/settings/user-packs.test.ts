/**
 * The user's own packs in extension storage (fakeBrowser's storage.local behind WXT's typed storage
 * item): import through the CLI's validation, turn on/off, remove, damaged entries skipped and
 * reported, and the admin runtime re-resolving its packs when the list changes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// @wxt-dev/storage binds to the extension's browser global when it is first imported, so the fake
// must be in place before any import below is evaluated.
const { fakeBrowser } = await vi.hoisted(async () => {
  const { fakeBrowser } = await import('wxt/testing/fake-browser');
  (globalThis as unknown as { chrome: unknown }).chrome = fakeBrowser;
  return { fakeBrowser };
});

import { startAdminRuntime, type AdminRuntime } from '../../src/admin/admin-runtime';
import { checkAll } from '../../src/engine/check';
import { importUserPackFile, type ImportContext } from '../../src/settings/pack-import';
import {
  loadUserPackCandidates,
  parseStoredUserPacks,
  readUserPacks,
  removeDamagedUserPacks,
  removeUserPack,
  setUserPackEnabled,
  watchUserPacks,
} from '../../src/settings/user-packs';
import { makePack } from '../admin/helpers';

const STORAGE_KEY = 'replyguard.userPacks';
const OPEN: ImportContext = { allowUserPacks: true, reservedPackIds: new Map(), now: () => 1_700_000_000_000 };

const teamPack = (version = '1.0.0') => makePack('team.words', version, [{ id: 'team.codename', terms: ['Bluebird'], severity: 'block' }]);

beforeEach(() => fakeBrowser.reset());

describe('importing a pack file', () => {
  it('stores a valid JSON pack switched on, with the defaults filled in', async () => {
    const result = await importUserPackFile('team.json', JSON.stringify(teamPack()), OPEN);
    expect(result).toEqual({ ok: true, pack: { id: 'team.words', name: 'Pack team.words', version: '1.0.0' }, rules: 1, replaced: null });
    const { packs, problems } = await readUserPacks();
    expect(problems).toEqual([]);
    expect(packs).toHaveLength(1);
    expect(packs[0]).toMatchObject({ id: 'team.words', fileName: 'team.json', enabled: true, importedAt: 1_700_000_000_000 });
    // Defaults the file left out are stored, as "replyguard pack build" writes them.
    expect(packs[0]!.pack).toMatchObject({ description: '', allowlist: { phones: [], domains: [], emails: [], terms: [] } });
    // Stored under the WXT key, with its version beside it.
    const raw = await fakeBrowser.storage.local.get([STORAGE_KEY, `${STORAGE_KEY}$`]);
    expect(raw[`${STORAGE_KEY}$`]).toEqual({ v: 1 });
  });

  it('reads YAML files', async () => {
    const yaml = `id: team.yaml-pack
name: Team words
version: 0.2.0
publisher: Comms team
policy:
  title: Team policy
  version: "1"
  clauses:
    - { id: c1, title: Codenames, summary: Do not name projects., source: Team handbook }
rules:
  - id: team.kestrel
    kind: phrase
    category: internal-info
    clause: c1
    terms: [Kestrel]
    message: '"{match}" is a project codename'
`;
    const result = await importUserPackFile('team.yaml', yaml, OPEN);
    expect(result).toMatchObject({ ok: true, pack: { id: 'team.yaml-pack', version: '0.2.0' }, rules: 1 });
  });

  it('a second import of the same pack replaces the first and says which version it replaced', async () => {
    await importUserPackFile('team.json', JSON.stringify(teamPack('1.0.0')), OPEN);
    await setUserPackEnabled('team.words', false);
    const result = await importUserPackFile('team-v2.json', JSON.stringify(teamPack('1.1.0')), OPEN);
    expect(result).toMatchObject({ ok: true, replaced: { version: '1.0.0' } });
    const { packs } = await readUserPacks();
    expect(packs.map((p) => [p.id, p.pack.version, p.fileName, p.enabled])).toEqual([['team.words', '1.1.0', 'team-v2.json', true]]);
  });

  it('refuses an invalid pack with the validation problems and stores nothing', async () => {
    const broken = { ...teamPack(), version: 'one' };
    const result = await importUserPackFile('team.json', JSON.stringify(broken), OPEN);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual(['team.json: field "version": a semantic version such as 1.2.0']);
    expect((await readUserPacks()).packs).toEqual([]);
  });

  it('refuses a pack id the organisation or the built-in pack already uses', async () => {
    const context = { ...OPEN, reservedPackIds: new Map([['team.words', 'your organisation']]) };
    const result = await importUserPackFile('team.json', JSON.stringify(teamPack()), context);
    expect(result).toEqual({
      ok: false,
      problems: ['team.json: the pack id "team.words" is already used by your organisation; give your pack its own id (field "id") and import it again'],
    });
    expect((await readUserPacks()).packs).toEqual([]);
  });

  it('refuses every file when the organisation does not allow user packs', async () => {
    const result = await importUserPackFile('team.json', JSON.stringify(teamPack()), { ...OPEN, allowUserPacks: false });
    expect(result).toEqual({ ok: false, problems: ['Your organisation does not allow your own packs, so this file was not imported.'] });
    expect((await readUserPacks()).packs).toEqual([]);
  });
});

describe('turning packs on and off, removing them', () => {
  beforeEach(async () => {
    await importUserPackFile('team.json', JSON.stringify(teamPack()), OPEN);
    await importUserPackFile('other.json', JSON.stringify(makePack('other.pack', '2.0.0', [{ id: 'other.rule', terms: ['Osprey'] }])), OPEN);
  });

  it('only packs that are on are given to the background, with the file name as their origin', async () => {
    expect((await loadUserPackCandidates()).map((c) => c.origin)).toEqual(['team.json', 'other.json']);
    await setUserPackEnabled('team.words', false);
    const candidates = await loadUserPackCandidates();
    expect(candidates.map((c) => (c.data as { id: string }).id)).toEqual(['other.pack']);
    expect((await readUserPacks()).packs.map((p) => p.enabled)).toEqual([false, true]);
    await setUserPackEnabled('team.words', true);
    expect(await loadUserPackCandidates()).toHaveLength(2);
  });

  it('removes one pack and keeps the other', async () => {
    await removeUserPack('team.words');
    expect((await readUserPacks()).packs.map((p) => p.id)).toEqual(['other.pack']);
  });

  it('tells watchers about every change, from any page', async () => {
    const seen: string[][] = [];
    const stop = watchUserPacks((list) => seen.push(list.packs.filter((p) => p.enabled).map((p) => p.id)));
    await setUserPackEnabled('other.pack', false);
    await removeUserPack('team.words');
    stop();
    await setUserPackEnabled('other.pack', true);
    expect(seen).toEqual([['team.words'], []]);
  });
});

describe('damaged storage', () => {
  it('skips a damaged entry, reports it in plain words, and keeps the good ones', async () => {
    await importUserPackFile('team.json', JSON.stringify(teamPack()), OPEN);
    const [good] = (await fakeBrowser.storage.local.get(STORAGE_KEY))[STORAGE_KEY] as unknown[];
    await fakeBrowser.storage.local.set({
      [STORAGE_KEY]: [good, { id: 'x', fileName: 'broken.yaml', enabled: 'yes', importedAt: 1, pack: {} }, 42],
    });
    const { packs, problems } = await readUserPacks();
    expect(packs.map((p) => p.id)).toEqual(['team.words']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^Your saved pack "broken\.yaml" is damaged and is not used \("enabled" .+\)\. Import the file again\.$/);
    expect(problems[1]).toMatch(/^Your saved pack number 3 is damaged and is not used/);
    // Damaged entries never reach the background.
    expect((await loadUserPackCandidates()).map((c) => c.origin)).toEqual(['team.json']);

    await removeDamagedUserPacks();
    expect(await readUserPacks()).toEqual({ packs, problems: [] });
  });

  it('a stored value that is not a list is ignored with one message', () => {
    expect(parseStoredUserPacks({ packs: [] })).toEqual({
      packs: [],
      problems: ['The saved list of your packs is damaged and was ignored. Import your packs again.'],
    });
    expect(parseStoredUserPacks(null)).toEqual({ packs: [], problems: [] });
  });

  it('an entry whose id does not match its pack, or repeats an id, is not used', () => {
    const entry = { id: 'a.pack', fileName: 'a.json', enabled: true, importedAt: 1, pack: { id: 'a.pack', name: 'A', version: '1.0.0', publisher: 'Me' } };
    const { packs, problems } = parseStoredUserPacks([entry, { ...entry, fileName: 'again.json' }, { ...entry, id: 'b.pack', fileName: 'b.json' }]);
    expect(packs.map((p) => p.fileName)).toEqual(['a.json']);
    expect(problems).toEqual([
      'Your saved pack "again.json" repeats the pack "a.pack" and is not used.',
      'Your saved pack "b.json" is damaged and is not used (its id does not match its contents). Import the file again.',
    ]);
  });
});

describe('the admin runtime follows the user packs', () => {
  let runtime: AdminRuntime | undefined;
  afterEach(() => runtime?.stop());

  it('a pack turned on runs, turned off stops, and allowUserPacks=false keeps it out', async () => {
    runtime = startAdminRuntime({ storage: fakeBrowser.storage, builtinPack: null, loadUserPacks: loadUserPackCandidates });
    // What entrypoints/background.ts does.
    watchUserPacks(() => void runtime!.refresh());
    await runtime.ready;
    const flagged = async () => checkAll(await runtime!.packs(), 'Bluebird launches soon.').map((f) => f.rule);
    expect(await flagged()).toEqual([]);

    await importUserPackFile('team.json', JSON.stringify(teamPack()), OPEN);
    await expect.poll(flagged).toEqual(['team.codename']);
    expect((await runtime.status()).packs).toMatchObject([{ id: 'team.words', source: 'user', origin: 'team.json', locked: false }]);

    await setUserPackEnabled('team.words', false);
    await expect.poll(flagged).toEqual([]);

    await setUserPackEnabled('team.words', true);
    await expect.poll(flagged).toEqual(['team.codename']);
    await fakeBrowser.storage.managed.set({ allowUserPacks: false });
    await expect.poll(flagged).toEqual([]);
    expect((await runtime.status()).skipped).toEqual([
      { source: 'user', origin: 'team.json', reason: 'your organisation does not allow your own packs' },
    ]);
  });
});
