/**
 * Where the history lives: one WXT typed storage item in browser.storage.local, a list of entries
 * newest first, with a version so a later format can migrate the stored list (wxt/utils/storage
 * runs `migrations` when the stored version is older).
 *
 * Version 1 is the first format: there is nothing to migrate from yet. The storage item still
 * carries the version (set on the first write), so a future v2 only adds `2: (v1List) => v2List`.
 *
 * Reads validate each entry (entry.ts): a corrupt one is skipped and reported. It is kept in
 * storage untouched (it may be a newer build's format) until the user deletes the history or the
 * unreadable entries, and it is the first to go when the list is full.
 *
 * Only the background writes (src/background/history-host.ts); writes are queued one after the
 * other so two events for the same draft cannot overwrite each other.
 */
import { storage as wxtStorage, type WxtStorage, type WxtStorageItem } from 'wxt/utils/storage';
import { HISTORY_AREA_KEY, MAX_ENTRIES, parseEntries, type HistoryEntry, type SkippedEntry } from './entry';

export const HISTORY_STORAGE_KEY = `local:${HISTORY_AREA_KEY}` as const;
export const HISTORY_VERSION = 1;
/** Migrations from older stored versions, keyed by the version they produce. None yet: v1 is the first. */
export const HISTORY_MIGRATIONS: Record<number, (old: unknown) => unknown> = {};

export type HistoryItem = WxtStorageItem<unknown[], Record<string, never>>;

export function defineHistoryItem(storage: Pick<WxtStorage, 'defineItem'> = wxtStorage): HistoryItem {
  return storage.defineItem<unknown[], Record<string, never>>(HISTORY_STORAGE_KEY, {
    fallback: [],
    version: HISTORY_VERSION,
    migrations: HISTORY_MIGRATIONS,
  });
}

export interface HistoryRead {
  entries: HistoryEntry[];
  skipped: SkippedEntry[];
}

export interface HistoryStore {
  read(): Promise<HistoryRead>;
  /**
   * Changes the valid entries (change returns the new list, or null for no change) and writes
   * them back with the unreadable ones kept. Queued: one change at a time.
   */
  update(change: (entries: HistoryEntry[]) => HistoryEntry[] | null): Promise<HistoryRead>;
  /** Removes the unreadable entries for good. */
  dropUnreadable(): Promise<HistoryRead>;
  /** Removes everything. */
  clear(): Promise<void>;
}

export function createHistoryStore(item: HistoryItem = defineHistoryItem()): HistoryStore {
  let queue: Promise<unknown> = Promise.resolve();
  const queued = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const readRaw = async (): Promise<{ raw: unknown[]; read: HistoryRead }> => {
    const value = await item.getValue();
    const raw = Array.isArray(value) ? value : [];
    return { raw, read: parseEntries(value) };
  };

  const write = async (entries: HistoryEntry[], raw: unknown[], skipped: SkippedEntry[]): Promise<HistoryRead> => {
    const unreadable = skipped.filter((s) => s.index < raw.length).map((s) => raw[s.index]);
    // The list is bounded: unreadable entries go first, then the oldest.
    const room = Math.max(0, MAX_ENTRIES - entries.length);
    const keptUnreadable = unreadable.slice(0, room);
    const kept = entries.slice(0, MAX_ENTRIES);
    await item.setValue([...kept, ...keptUnreadable]);
    const keptSkipped = skipped.filter((s) => s.index < raw.length).slice(0, keptUnreadable.length);
    return { entries: kept, skipped: keptSkipped.map((s, i) => ({ ...s, index: kept.length + i })) };
  };

  return {
    read: () => queued(async () => (await readRaw()).read),
    update: (change) =>
      queued(async () => {
        const { raw, read } = await readRaw();
        const next = change(read.entries);
        if (!next) return read;
        return write(next, raw, read.skipped);
      }),
    dropUnreadable: () =>
      queued(async () => {
        const { read } = await readRaw();
        await item.setValue(read.entries);
        return { entries: read.entries, skipped: [] };
      }),
    clear: () =>
      queued(async () => {
        await item.setValue([]);
      }),
  };
}
