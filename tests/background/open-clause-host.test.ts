import { describe, expect, it, vi } from 'vitest';
import { createOpenClauseHost } from '../../src/background/open-clause-host';

const getURL = (path: string) => `chrome-extension://abc${path}`;
const page = { url: 'https://example.org/post/1', tabId: 7, fromExtension: false };

describe('opening the policy viewer at a clause', () => {
  it('opens policy.html at the clause, next to the tab that asked', async () => {
    const create = vi.fn(() => Promise.resolve({}));
    const handle = createOpenClauseHost({ create }, getURL);
    await expect(handle({ type: 'open-clause', pack: 'replyguard.builtin', clause: 'legal-proceedings' }, page)).resolves.toEqual({ ok: true });
    expect(create).toHaveBeenCalledWith({ url: 'chrome-extension://abc/policy.html#replyguard.builtin/legal-proceedings', active: true, openerTabId: 7 });
  });

  it('encodes the ids, so a message can only ever open the viewer', async () => {
    const urls: string[] = [];
    const handle = createOpenClauseHost({ create: async ({ url }) => void urls.push(url) }, getURL);
    await handle({ type: 'open-clause', pack: 'a/../../x', clause: '#y?z' }, page);
    expect(urls[0]).toBe('chrome-extension://abc/policy.html#a%2F..%2F..%2Fx/%23y%3Fz');
  });

  it('refuses bad ids with a plain error and ignores other messages', async () => {
    const create = vi.fn(() => Promise.resolve({}));
    const handle = createOpenClauseHost({ create }, getURL);
    await expect(handle({ type: 'open-clause', pack: 'p' }, page)).resolves.toEqual({ ok: false, error: 'open-clause: "pack" and "clause" must be ids' });
    await expect(handle({ type: 'open-clause', pack: 'p', clause: 'x'.repeat(500) }, page)).resolves.toMatchObject({ ok: false });
    expect(handle({ type: 'check', text: 'hi' }, page)).toBeUndefined();
    expect(create).not.toHaveBeenCalled();
  });

  it('reports a tab that could not be opened', async () => {
    const handle = createOpenClauseHost({ create: () => Promise.reject(new Error('no windows')) }, getURL);
    await expect(handle({ type: 'open-clause', pack: 'p', clause: 'c' }, page)).resolves.toEqual({ ok: false, error: 'could not open the policy: no windows' });
  });
});
