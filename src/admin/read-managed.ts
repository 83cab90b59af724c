/**
 * Reading the managed storage area, defensively: it is missing in some
 * browsers, and Firefox rejects storage.managed.get() when no policies.json
 * names the add-on ("Managed storage manifest not found"). None of that is an
 * error for ReplyGuard: it simply means no organisation policy, so the
 * defaults apply. Changes apply live in Chrome and Edge: storage.onChanged
 * fires for the managed area when they reload policy. Firefox reads
 * policies.json only at start and gives an add-on its managed storage once per
 * run (no managed onChanged), so there a policy change needs a restart.
 */
import { parseManagedConfig, type ParsedPolicy } from './managed-config';

/** The part of browser.storage this needs (the real one, or fakeBrowser's in tests). */
export interface ManagedStorageLike {
  managed?: { get(keys?: null | string | string[]): Promise<Record<string, unknown>> };
  onChanged?: {
    addListener(listener: (changes: Record<string, unknown>, areaName: string) => void): void;
    removeListener(listener: (changes: Record<string, unknown>, areaName: string) => void): void;
  };
}

export interface ManagedRead extends ParsedPolicy {
  /** managed: the browser delivered a policy for ReplyGuard (possibly empty); none: no managed storage here. */
  source: 'managed' | 'none';
}

/** Firefox's wording when no policy names the add-on; Chrome resolves with {} instead. */
const NO_POLICY = /managed storage manifest not found|not supported/i;

export async function readManagedPolicy(storage: ManagedStorageLike | undefined): Promise<ManagedRead> {
  const area = storage?.managed;
  if (!area || typeof area.get !== 'function') return { ...parseManagedConfig(undefined), source: 'none' };
  let raw: Record<string, unknown>;
  try {
    raw = await area.get(null);
  } catch (e) {
    const parsed = parseManagedConfig(undefined);
    const message = e instanceof Error ? e.message : String(e);
    if (!NO_POLICY.test(message)) parsed.problems.push(`The organisation policy could not be read (${message}); the defaults apply.`);
    return { ...parsed, source: 'none' };
  }
  return { ...parseManagedConfig(raw ?? {}), source: 'managed' };
}

/**
 * Calls onChange with the whole policy, re-read, whenever the managed area
 * changes (a re-read rather than applying the change record, so the result is
 * always exactly what the browser holds). Returns a function that stops it.
 */
export function watchManagedPolicy(storage: ManagedStorageLike | undefined, onChange: (read: ManagedRead) => void): () => void {
  const events = storage?.onChanged;
  if (!events) return () => undefined;
  let latest = 0;
  const listener = (_changes: Record<string, unknown>, areaName: string): void => {
    if (areaName !== 'managed') return;
    // Two changes in quick succession: only the later read is delivered.
    const ticket = ++latest;
    void readManagedPolicy(storage).then((read) => {
      if (ticket === latest) onChange(read);
    });
  };
  events.addListener(listener);
  return () => events.removeListener(listener);
}
