import { fakeBrowser } from './fake-browser-env';
import { beforeEach, describe, expect, it } from 'vitest';
import { storage } from 'wxt/utils/storage';
import { MAX_ENTRIES } from '../../src/history/entry';
import { createHistoryStore, defineHistoryItem, HISTORY_STORAGE_KEY, HISTORY_VERSION } from '../../src/history/store';
import { entry } from './helpers';

const RAW_KEY = HISTORY_STORAGE_KEY.replace(/^local:/, '');

beforeEach(() => fakeBrowser.reset());

describe('history store (WXT storage item)', () => {
  it('starts empty, writes entries with the item version, and reads them back', async () => {
    const store = createHistoryStore(defineHistoryItem());
    expect(await store.read()).toEqual({ entries: [], skipped: [] });
    await store.update(() => [entry()]);
    const raw = await fakeBrowser.storage.local.get([RAW_KEY, `${RAW_KEY}$`]);
    expect(raw[RAW_KEY]).toHaveLength(1);
    expect(raw[`${RAW_KEY}$`]).toEqual({ v: HISTORY_VERSION });
    expect((await store.read()).entries).toEqual([entry()]);
  });

  it('skips a corrupt entry, reports it, keeps it stored until the unreadable ones are removed', async () => {
    const good = entry({ id: 'good' });
    const corrupt = { ...entry({ id: 'bad' }), outcome: 'exploded', findings: 'none' };
    await fakeBrowser.storage.local.set({ [RAW_KEY]: [good, corrupt, 42] });
    const store = createHistoryStore(defineHistoryItem());
    const read = await store.read();
    expect(read.entries.map((e) => e.id)).toEqual(['good']);
    expect(read.skipped).toEqual([
      { index: 1, id: 'bad', problem: expect.stringMatching(/^(findings|outcome): /) },
      { index: 2, problem: expect.stringMatching(/^entry: /) },
    ]);
    // A change to the valid entries keeps the unreadable ones as they were.
    const after = await store.update((entries) => entries.map((e) => ({ ...e, reviewed: true })));
    expect(after.entries[0]!.reviewed).toBe(true);
    expect(after.skipped.map((s) => s.id)).toEqual(['bad', undefined]);
    expect((await fakeBrowser.storage.local.get(RAW_KEY))[RAW_KEY]).toEqual([{ ...good, reviewed: true }, corrupt, 42]);
    // Removing them for good.
    expect((await store.dropUnreadable()).skipped).toEqual([]);
    expect((await store.read()).skipped).toEqual([]);
  });

  it('reports a stored value that is not a list at all, without failing', async () => {
    await fakeBrowser.storage.local.set({ [RAW_KEY]: { entries: 'oops' } });
    const read = await createHistoryStore(defineHistoryItem()).read();
    expect(read.entries).toEqual([]);
    expect(read.skipped[0]!.problem).toMatch(/not a list/);
  });

  it('queues changes: concurrent updates both land', async () => {
    const store = createHistoryStore(defineHistoryItem());
    await Promise.all([store.update((es) => [entry({ id: 'one' }), ...es]), store.update((es) => [entry({ id: 'two' }), ...es])]);
    expect((await store.read()).entries.map((e) => e.id)).toEqual(['two', 'one']);
  });

  it('bounds the stored list: unreadable entries go before valid ones', async () => {
    await fakeBrowser.storage.local.set({ [RAW_KEY]: ['junk'] });
    const store = createHistoryStore(defineHistoryItem());
    const full = Array.from({ length: MAX_ENTRIES }, (_, i) => entry({ id: `e${i}` }));
    const read = await store.update(() => full);
    expect(read.entries).toHaveLength(MAX_ENTRIES);
    expect(read.skipped).toEqual([]);
    expect((await fakeBrowser.storage.local.get(RAW_KEY))[RAW_KEY]).toHaveLength(MAX_ENTRIES);
  });

  it('clear() removes everything', async () => {
    const store = createHistoryStore(defineHistoryItem(storage));
    await store.update(() => [entry()]);
    await store.clear();
    expect(await store.read()).toEqual({ entries: [], skipped: [] });
  });
});
