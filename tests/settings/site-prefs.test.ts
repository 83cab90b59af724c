import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// WXT storage binds to the extension's `browser` when it is imported: give it the fake first.
const { fakeBrowser } = await vi.hoisted(async () => {
  const mod = await import('wxt/testing/fake-browser');
  (globalThis as { browser?: unknown }).browser = mod.fakeBrowser;
  return mod;
});

import { DEFAULT_POLICY } from '../../src/admin/managed-config';
import {
  isSiteSwitchedOff,
  listSwitchedOffSites,
  parseSiteInput,
  parseSitePrefs,
  setSiteSwitchedOff,
  SITE_PREFS_AREA_KEY,
  siteKey,
  siteStatus,
  watchSitePrefs,
} from '../../src/settings/site-prefs';

beforeEach(() => fakeBrowser.reset());
afterEach(() => fakeBrowser.reset());

describe('siteKey', () => {
  it('takes hostnames and page URLs to one lower-case site without www', () => {
    expect(siteKey('Forum.Example.org')).toBe('forum.example.org');
    expect(siteKey('www.example.org')).toBe('example.org');
    expect(siteKey('https://www.Example.org:8443/thread/12?x=1#c')).toBe('example.org');
    expect(siteKey('http://localhost:5173/')).toBe('localhost');
    expect(siteKey('example.org.')).toBe('example.org');
  });

  it('refuses what is not a web site', () => {
    for (const bad of ['', '   ', 'chrome://extensions', 'file:///tmp/x.html', 'not a site', 'bad_host.org', '-x.org'])
      expect(siteKey(bad), bad).toBeNull();
  });

  it('gives plain-words errors for a settings form', () => {
    expect(parseSiteInput(' https://forum.example.org/x ')).toEqual({ host: 'forum.example.org' });
    expect(parseSiteInput('')).toEqual({ error: 'Type a site, for example forum.example.org.' });
    expect(parseSiteInput('my site')).toEqual({ error: '"my site" is not a web site address. Type a site such as forum.example.org.' });
  });
});

describe('site prefs in storage', () => {
  it('switches a site off and back on, by host or URL', async () => {
    expect(await isSiteSwitchedOff('forum.example.org')).toBe(false);
    await setSiteSwitchedOff('https://forum.example.org/t/1', true, () => 1000);
    expect(await isSiteSwitchedOff('forum.example.org')).toBe(true);
    expect(await isSiteSwitchedOff('https://forum.example.org/another/page')).toBe(true);
    expect(await isSiteSwitchedOff('other.example.org')).toBe(false);
    expect((await listSwitchedOffSites()).switchedOff).toEqual([{ host: 'forum.example.org', since: 1000 }]);
    await setSiteSwitchedOff('forum.example.org', false);
    expect(await isSiteSwitchedOff('forum.example.org')).toBe(false);
    expect((await listSwitchedOffSites()).switchedOff).toEqual([]);
  });

  it('keeps the first time a site was switched off when it is switched off again', async () => {
    await setSiteSwitchedOff('a.example', true, () => 1);
    await setSiteSwitchedOff('b.example', true, () => 2);
    await setSiteSwitchedOff('a.example', true, () => 3);
    expect((await listSwitchedOffSites()).switchedOff).toEqual([
      { host: 'b.example', since: 2 },
      { host: 'a.example', since: 1 },
    ]);
  });

  it('stores the value under the documented key', async () => {
    await setSiteSwitchedOff('a.example', true, () => 5);
    const raw = await fakeBrowser.storage.local.get(null);
    expect(raw[SITE_PREFS_AREA_KEY]).toEqual({ switchedOff: [{ host: 'a.example', since: 5 }] });
  });

  it('refuses to switch off something that is not a site', async () => {
    await expect(setSiteSwitchedOff('chrome://settings', true)).rejects.toThrow('"chrome://settings" is not a web site address.');
  });

  it('skips and reports damaged entries instead of failing', async () => {
    await fakeBrowser.storage.local.set({
      [SITE_PREFS_AREA_KEY]: { switchedOff: [{ host: 'ok.example', since: 1 }, { host: 42 }, 'junk', { host: 'ok.example', since: 2 }] },
    });
    const prefs = await listSwitchedOffSites();
    expect(prefs.switchedOff).toEqual([{ host: 'ok.example', since: 1 }]);
    expect(prefs.problems).toEqual([
      'Saved site number 2 in the list of sites you switched off is damaged and was ignored.',
      'Saved site number 3 in the list of sites you switched off is damaged and was ignored.',
    ]);
    expect(await isSiteSwitchedOff('ok.example')).toBe(true);
    // The next write drops what could never be used.
    await setSiteSwitchedOff('new.example', true, () => 9);
    expect((await listSwitchedOffSites()).problems).toEqual([]);
  });

  it('reports a value of the wrong shape as a whole', () => {
    expect(parseSitePrefs('nonsense')).toEqual({
      switchedOff: [],
      problems: ['The saved list of sites you switched off is damaged and was ignored.'],
    });
    expect(parseSitePrefs(undefined)).toEqual({ switchedOff: [], problems: [] });
  });

  it('tells watchers about every change', async () => {
    const seen: string[][] = [];
    const unwatch = watchSitePrefs((prefs) => seen.push(prefs.switchedOff.map((s) => s.host)));
    await setSiteSwitchedOff('a.example', true);
    await setSiteSwitchedOff('a.example', false);
    await vi.waitFor(() => expect(seen).toEqual([['a.example'], []]));
    unwatch();
    await setSiteSwitchedOff('b.example', true);
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toHaveLength(2);
  });
});

describe('siteStatus: the organisation first, then the user', () => {
  const none = { switchedOff: [] };
  const off = (host: string) => ({ switchedOff: [{ host, since: 0 }] });
  const policy = (allow: string[], block: string[]) => ({ ...DEFAULT_POLICY, siteAllowlist: allow, siteBlocklist: block });

  it('is on by default and the user may switch it off', () => {
    expect(siteStatus(DEFAULT_POLICY, none, 'https://forum.example.org/t')).toEqual({ host: 'forum.example.org', enabled: true, state: 'on', canSwitch: true });
    expect(siteStatus(DEFAULT_POLICY, off('forum.example.org'), 'https://www.forum.example.org/t')).toEqual({
      host: 'forum.example.org',
      enabled: false,
      state: 'off-by-you',
      canSwitch: true,
    });
  });

  it('an allowlisted site is locked on even when the user switched it off', () => {
    expect(siteStatus(policy(['*.example.org'], []), off('forum.example.org'), 'https://forum.example.org/')).toEqual({
      host: 'forum.example.org',
      enabled: true,
      state: 'on-required',
      canSwitch: false,
    });
  });

  it('a blocklisted site, or one missing from the allowlist, is off by the organisation', () => {
    expect(siteStatus(policy([], ['forum.example.org']), none, 'https://forum.example.org/').state).toBe('off-by-organisation');
    expect(siteStatus(policy(['intranet.example'], []), none, 'https://forum.example.org/')).toEqual({
      host: 'forum.example.org',
      enabled: false,
      state: 'off-by-organisation',
      canSwitch: false,
    });
  });

  it('browser and extension pages are not sites', () => {
    for (const url of ['chrome://newtab/', 'about:blank', 'file:///x.html', 'chrome-extension://abc/popup.html', ''])
      expect(siteStatus(DEFAULT_POLICY, none, url).state, url).toBe('not-a-site');
  });
});
