import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/admin/managed-config';
import { readManagedPolicy, watchManagedPolicy, type ManagedRead } from '../../src/admin/read-managed';

beforeEach(() => fakeBrowser.reset());

describe('readManagedPolicy', () => {
  it('reads and validates what the browser delivers', async () => {
    await fakeBrowser.storage.managed.set({ failMode: 'closed', allowUserPacks: false, historyRetentionDays: 'ten' });
    const r = await readManagedPolicy(fakeBrowser.storage);
    expect(r.source).toBe('managed');
    expect(r.policy).toMatchObject({ failMode: 'closed', allowUserPacks: false, historyRetentionDays: 90 });
    expect(r.problems).toEqual(['historyRetentionDays ("ten") should be a number, not text; the default is used instead.']);
  });

  it('an empty managed area (Chrome without a policy) gives the defaults', async () => {
    const r = await readManagedPolicy(fakeBrowser.storage);
    expect(r).toEqual({ policy: DEFAULT_POLICY, problems: [], configured: [], source: 'managed' });
  });

  it('no managed area at all gives the defaults quietly', async () => {
    expect(await readManagedPolicy(undefined)).toMatchObject({ policy: DEFAULT_POLICY, problems: [], source: 'none' });
    expect(await readManagedPolicy({})).toMatchObject({ policy: DEFAULT_POLICY, problems: [], source: 'none' });
  });

  it("Firefox without policies.json rejects the read: that is no policy, not an error", async () => {
    const firefox = { managed: { get: () => Promise.reject(new Error('Managed storage manifest not found')) } };
    expect(await readManagedPolicy(firefox)).toMatchObject({ policy: DEFAULT_POLICY, problems: [], source: 'none' });
  });

  it('any other read failure is reported and the defaults apply', async () => {
    const broken = { managed: { get: () => Promise.reject(new Error('disk on fire')) } };
    const r = await readManagedPolicy(broken);
    expect(r.policy).toEqual(DEFAULT_POLICY);
    expect(r.problems).toEqual(['The organisation policy could not be read (disk on fire); the defaults apply.']);
  });
});

describe('watchManagedPolicy', () => {
  it('delivers the re-read policy when the managed area changes, and ignores other areas', async () => {
    const seen: ManagedRead[] = [];
    const stop = watchManagedPolicy(fakeBrowser.storage, (r) => seen.push(r));
    await fakeBrowser.storage.local.set({ unrelated: 1 });
    await fakeBrowser.storage.managed.set({ disableBuiltInPack: true });
    await new Promise((r) => setTimeout(r, 0));
    expect(seen.map((r) => r.policy.disableBuiltInPack)).toEqual([true]);
    await fakeBrowser.storage.managed.remove('disableBuiltInPack');
    await new Promise((r) => setTimeout(r, 0));
    expect(seen.map((r) => r.policy.disableBuiltInPack)).toEqual([true, false]);
    stop();
    await fakeBrowser.storage.managed.set({ disableBuiltInPack: true });
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toHaveLength(2);
  });

  it('without storage events it does nothing', () => {
    expect(() => watchManagedPolicy(undefined, () => undefined)()).not.toThrow();
  });
});
