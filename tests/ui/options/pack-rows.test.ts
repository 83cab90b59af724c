/**
 * The settings page's view of the background's status, fed with a status the real admin runtime
 * wrote (so the page's zod view and the runtime cannot drift apart unnoticed), and the rows it
 * makes: precedence order, locking, the user's switched-off packs, and reserved pack ids.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_STATUS_KEY, startAdminRuntime, type AdminRuntime } from '../../../src/admin/admin-runtime';
import { packRows, readStatus, reservedPackIds } from '../../../src/ui/options/pack-rows';
import { makePack } from '../../admin/helpers';
import { BUILTIN, storedUserPack } from './fixtures';

const builtinPack = { ...makePack(BUILTIN.id, BUILTIN.version, [{ id: 'builtin.rule', terms: ['secretword'] }]), name: BUILTIN.name, publisher: BUILTIN.publisher };
const orgPack = makePack('org.inline', '3.0.0', [{ id: 'org.rule', terms: ['Project Heron'], severity: 'block' }]);

let runtime: AdminRuntime | undefined;
beforeEach(() => fakeBrowser.reset());
afterEach(() => runtime?.stop());

async function storedStatus(): Promise<unknown> {
  return (await fakeBrowser.storage.local.get(ADMIN_STATUS_KEY))[ADMIN_STATUS_KEY];
}

describe('the status the background writes', () => {
  it('is read by the page and turned into rows in precedence order', async () => {
    await fakeBrowser.storage.managed.set({ inlinePacks: [JSON.stringify(orgPack)], auditPacks: ['org.inline'] });
    const on = storedUserPack('team.on', true);
    const off = storedUserPack('team.off', false);
    runtime = startAdminRuntime({
      storage: fakeBrowser.storage,
      builtinPack,
      loadUserPacks: async () => [{ origin: on.fileName, data: on.pack }],
    });
    await runtime.settled();
    const read = readStatus(await storedStatus());
    expect(read.state).toBe('ok');
    const status = read.state === 'ok' ? read.status : null;

    const rows = packRows(status, [on, off], BUILTIN);
    expect(rows.map((r) => [r.source, r.id, r.state, r.locked])).toEqual([
      ['admin', 'org.inline', 'on', true],
      ['builtin', BUILTIN.id, 'on', false],
      ['user', 'team.on', 'on', false],
      ['user', 'team.off', 'off', false],
    ]);
    expect(rows[0]).toMatchObject({ audit: true, rules: 1, signed: false, update: null });
    expect(status!.configured).toEqual(['inlinePacks', 'auditPacks']);
    expect([...reservedPackIds(status, BUILTIN).keys()].sort()).toEqual(['org.inline', BUILTIN.id]);
  });

  it('an inline pack that is not a valid pack is listed as not in use, with its problem', async () => {
    await fakeBrowser.storage.managed.set({ inlinePacks: [JSON.stringify({ ...orgPack, version: 'latest' })] });
    runtime = startAdminRuntime({ storage: fakeBrowser.storage, builtinPack });
    await runtime.settled();
    const read = readStatus(await storedStatus());
    const rows = packRows(read.state === 'ok' ? read.status : null, [], BUILTIN);
    expect(rows[0]).toMatchObject({ source: 'admin', state: 'not-used', locked: true, reason: 'field "version": a semantic version such as 1.2.0.' });
  });

  it('no status yet, or a damaged one', () => {
    expect(readStatus(undefined)).toEqual({ state: 'missing' });
    expect(readStatus({ managed: true })).toMatchObject({ state: 'damaged' });
    // Without a status the built-in pack is still listed, from the extension's own copy.
    expect(packRows(null, [], BUILTIN).map((r) => [r.source, r.name, r.state])).toEqual([['builtin', BUILTIN.name, 'on']]);
  });
});
