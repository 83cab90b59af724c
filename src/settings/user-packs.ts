/**
 * The user's own rule packs: imported on the settings page, kept in extension storage (a WXT typed
 * storage item with a version), turned on and off, removed. The background reads the packs that
 * are on (loadUserPackCandidates) and rebuilds the pack set when the list changes
 * (watchUserPacks); src/admin/pack-set.ts then puts them after the organisation's and the built-in
 * packs, and leaves them out entirely when the policy sets allowUserPacks to false.
 *
 * What is stored is the pack as validated at import time (src/settings/pack-import.ts), with every
 * default filled in. Storage can still hold anything (an older build, another tool, a damaged
 * profile), so every read is checked with zod: an entry that does not fit is skipped and reported
 * in plain words, and the rest still work.
 *
 * This module stays light (no engine, no YAML): the background imports it, and the settings page
 * loads the validator only when the user imports a file.
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import type { CandidatePack } from '../admin/pack-set';

/** browser.storage.local key (WXT prefixes the area): "replyguard.userPacks". */
export const USER_PACKS_STORAGE_KEY = 'local:replyguard.userPacks';

const StoredUserPack = z.object({
  /** The pack's own id (pack.id): one stored entry per id, a new import of the same id replaces it. */
  id: z.string().min(1),
  /** The file it was imported from, shown to the user and used as the pack's origin in messages. */
  fileName: z.string().min(1),
  enabled: z.boolean(),
  /** Milliseconds since the epoch. */
  importedAt: z.number().finite(),
  /** The validated pack, defaults filled (what "replyguard pack build" writes). */
  pack: z.looseObject({ id: z.string(), name: z.string(), version: z.string(), publisher: z.string() }),
});

export type StoredUserPack = z.infer<typeof StoredUserPack>;

/**
 * Version 1 is the first shape. A later shape bumps the version and adds a migration here; WXT runs
 * it once, before any read (https://wxt.dev/storage.html#versioning-with-migrations).
 */
const USER_PACKS_VERSION = 1;

let item: ReturnType<typeof defineUserPacksItem> | undefined;

function defineUserPacksItem() {
  // unknown, not StoredUserPack[]: what storage holds is only trusted after parseStoredUserPacks.
  return storage.defineItem<unknown>(USER_PACKS_STORAGE_KEY, {
    fallback: [],
    version: USER_PACKS_VERSION,
    migrations: {},
  });
}

/** Defined on first use, not at import: defining a versioned item reads storage straight away. */
export function userPacksItem() {
  return (item ??= defineUserPacksItem());
}

export interface UserPackList {
  packs: StoredUserPack[];
  /** Entries that could not be used, one plain sentence each. */
  problems: string[];
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unreadable';
  return `${issue.path.length ? `"${issue.path.join('.')}" ` : ''}${issue.message}`.trim();
}

/** Checks what storage holds; a damaged entry is left out and reported, never thrown. */
export function parseStoredUserPacks(value: unknown): UserPackList {
  if (value === null || value === undefined) return { packs: [], problems: [] };
  if (!Array.isArray(value)) {
    return { packs: [], problems: ['The saved list of your packs is damaged and was ignored. Import your packs again.'] };
  }
  const packs: StoredUserPack[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  value.forEach((entry, i) => {
    const parsed = StoredUserPack.safeParse(entry);
    const name =
      typeof (entry as { fileName?: unknown } | null)?.fileName === 'string' ? `"${(entry as { fileName: string }).fileName}"` : `number ${i + 1}`;
    if (!parsed.success) {
      problems.push(`Your saved pack ${name} is damaged and is not used (${firstIssue(parsed.error)}). Import the file again.`);
      return;
    }
    if (parsed.data.pack.id !== parsed.data.id) {
      problems.push(`Your saved pack ${name} is damaged and is not used (its id does not match its contents). Import the file again.`);
      return;
    }
    if (seen.has(parsed.data.id)) {
      problems.push(`Your saved pack ${name} repeats the pack "${parsed.data.id}" and is not used.`);
      return;
    }
    seen.add(parsed.data.id);
    packs.push(parsed.data);
  });
  return { packs, problems };
}

export async function readUserPacks(): Promise<UserPackList> {
  return parseStoredUserPacks(await userPacksItem().getValue());
}

/** The packs that are on, for the background's pack set (admin-runtime's loadUserPacks). */
export async function loadUserPackCandidates(): Promise<CandidatePack[]> {
  const { packs } = await readUserPacks();
  return packs.filter((p) => p.enabled).map((p) => ({ origin: p.fileName, data: p.pack }));
}

/** Calls back with the checked list whenever it changes (in any page or the background). */
export function watchUserPacks(onChange: (list: UserPackList) => void): () => void {
  return userPacksItem().watch((value) => onChange(parseStoredUserPacks(value)));
}

/**
 * Rewrites the list. Damaged entries are dropped on the first write after they were reported:
 * they could never be used, and keeping them would report them forever.
 */
async function update(change: (packs: StoredUserPack[]) => StoredUserPack[]): Promise<StoredUserPack[]> {
  const { packs } = await readUserPacks();
  const next = change(packs);
  await userPacksItem().setValue(next);
  return next;
}

/** Adds a validated pack, or replaces the stored pack with the same id (switched on either way). */
export async function saveUserPack(entry: { fileName: string; pack: StoredUserPack['pack']; importedAt: number }): Promise<{ replaced: StoredUserPack | null }> {
  let replaced: StoredUserPack | null = null;
  await update((packs) => {
    replaced = packs.find((p) => p.id === entry.pack.id) ?? null;
    const stored: StoredUserPack = { id: entry.pack.id, fileName: entry.fileName, enabled: true, importedAt: entry.importedAt, pack: entry.pack };
    return replaced ? packs.map((p) => (p.id === stored.id ? stored : p)) : [...packs, stored];
  });
  return { replaced };
}

export async function setUserPackEnabled(id: string, enabled: boolean): Promise<void> {
  await update((packs) => packs.map((p) => (p.id === id ? { ...p, enabled } : p)));
}

export async function removeUserPack(id: string): Promise<void> {
  await update((packs) => packs.filter((p) => p.id !== id));
}

/** Drops the damaged entries readUserPacks reported, keeping every usable pack. */
export async function removeDamagedUserPacks(): Promise<void> {
  await update((packs) => packs);
}
