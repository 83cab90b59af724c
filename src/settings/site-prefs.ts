/**
 * The user's own per-site choice: "switch ReplyGuard off for this site". Kept in extension storage
 * (a WXT typed storage item with a version), set from the popup, listed and edited in settings.
 *
 * The organisation's policy comes first (siteStatus below): a site on the admin allowlist cannot be
 * switched off by the user (lockedOn), a blocklisted site is off whatever the user chose. The
 * background answers each page's site question with siteStatus(...).enabled, and a page that is
 * already open re-asks when this item changes (src/content/page-status.ts watches storage), so
 * switching a site off or on takes effect at once.
 *
 * Storage can hold anything (an older build, a damaged profile): every read is checked with zod; a
 * damaged entry is skipped and reported in plain words, never thrown.
 *
 * Sites are hostnames, lower case, without a leading "www." (www.example.org and example.org are
 * one site for the writer), without port or path.
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { siteDecision } from '../admin/managed-config';
import type { ManagedPolicy } from '../admin/managed-config';

/** browser.storage.local key (WXT prefixes the area): "replyguard.sitePrefs". */
export const SITE_PREFS_STORAGE_KEY = 'local:replyguard.sitePrefs';
/** The key as browser.storage.local sees it (what a content script watches). */
export const SITE_PREFS_AREA_KEY = 'replyguard.sitePrefs';

const SwitchedOffSite = z.object({
  host: z.string().min(1),
  /** When the user switched it off, milliseconds since the epoch. */
  since: z.number().finite(),
});

export type SwitchedOffSite = z.infer<typeof SwitchedOffSite>;

/**
 * Version 1: { switchedOff: SwitchedOffSite[] }. A later shape bumps the version and adds a
 * migration here; WXT runs it once, before any read.
 */
const SITE_PREFS_VERSION = 1;

let item: ReturnType<typeof defineSitePrefsItem> | undefined;

function defineSitePrefsItem() {
  // unknown: what storage holds is only trusted after parseSitePrefs.
  return storage.defineItem<unknown>(SITE_PREFS_STORAGE_KEY, {
    fallback: { switchedOff: [] },
    version: SITE_PREFS_VERSION,
    migrations: {},
  });
}

/** Defined on first use, not at import: defining a versioned item reads storage straight away. */
export function sitePrefsItem() {
  return (item ??= defineSitePrefsItem());
}

export interface SitePrefs {
  /** Sites the user switched off, in the order they were switched off. */
  switchedOff: SwitchedOffSite[];
  /** Entries that could not be used, one plain sentence each. */
  problems: string[];
}

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The site key for a hostname or a URL: lower case, no trailing dot, no "www.". Null when it is not
 * a web site's host (empty, a browser page, an IP literal with a port, spaces...).
 */
export function siteKey(hostOrUrl: string): string | null {
  let host = hostOrUrl.trim().toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(host)) {
    let url: URL;
    try {
      url = new URL(host);
    } catch {
      return null;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    host = url.hostname;
  }
  host = host.replace(/\.$/, '');
  if (host.startsWith('www.') && host.length > 4) host = host.slice(4);
  if (/^\[[0-9a-f:.]+\]$/.test(host)) return host; // IPv6 literal
  const labels = host.split('.');
  if (!labels.every((label) => HOST_LABEL.test(label))) return null;
  return host;
}

/** Like siteKey, but with the plain-words reason a settings form shows. */
export function parseSiteInput(input: string): { host: string } | { error: string } {
  if (!input.trim()) return { error: 'Type a site, for example forum.example.org.' };
  const host = siteKey(input);
  if (!host) return { error: `"${input.trim()}" is not a web site address. Type a site such as forum.example.org.` };
  return { host };
}

/** Checks what storage holds; a damaged entry is left out and reported, never thrown. */
export function parseSitePrefs(value: unknown): SitePrefs {
  if (value === null || value === undefined) return { switchedOff: [], problems: [] };
  const list = (value as { switchedOff?: unknown }).switchedOff;
  if (typeof value !== 'object' || !Array.isArray(list)) {
    return { switchedOff: [], problems: ['The saved list of sites you switched off is damaged and was ignored.'] };
  }
  const switchedOff: SwitchedOffSite[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const parsed = SwitchedOffSite.safeParse(entry);
    const host = parsed.success ? siteKey(parsed.data.host) : null;
    if (!parsed.success || !host) {
      problems.push(`Saved site number ${i + 1} in the list of sites you switched off is damaged and was ignored.`);
      return;
    }
    if (seen.has(host)) return;
    seen.add(host);
    switchedOff.push({ host, since: parsed.data.since });
  });
  return { switchedOff, problems };
}

export async function readSitePrefs(): Promise<SitePrefs> {
  return parseSitePrefs(await sitePrefsItem().getValue());
}

/** The sites the user switched off (and any damaged entries, reported). */
export async function listSwitchedOffSites(): Promise<SitePrefs> {
  return readSitePrefs();
}

/** Whether the user switched ReplyGuard off on this site (a hostname or a page URL). */
export async function isSiteSwitchedOff(hostOrUrl: string): Promise<boolean> {
  const host = siteKey(hostOrUrl);
  if (!host) return false;
  const { switchedOff } = await readSitePrefs();
  return switchedOff.some((s) => s.host === host);
}

/**
 * Switches ReplyGuard off (off = true) or back on for a site. Throws a plain-words error for
 * something that is not a site. Damaged entries are dropped on this write (they were reported).
 */
export async function setSiteSwitchedOff(hostOrUrl: string, off: boolean, now: () => number = Date.now): Promise<void> {
  const host = siteKey(hostOrUrl);
  if (!host) throw new Error(`"${hostOrUrl}" is not a web site address.`);
  const { switchedOff } = await readSitePrefs();
  const others = switchedOff.filter((s) => s.host !== host);
  const next = off ? [...others, switchedOff.find((s) => s.host === host) ?? { host, since: now() }] : others;
  await sitePrefsItem().setValue({ switchedOff: next });
}

/** Calls back with the checked prefs whenever they change (in any page or the background). */
export function watchSitePrefs(onChange: (prefs: SitePrefs) => void): () => void {
  return sitePrefsItem().watch((value) => onChange(parseSitePrefs(value)));
}

/** Why ReplyGuard is on or off on a page, for the popup and settings to say in words. */
export type SiteState =
  /** Checking; the user may switch it off. */
  | 'on'
  /** Checking, and the organisation requires it here (admin allowlist): the user cannot switch it off. */
  | 'on-required'
  /** Off: the user switched this site off. */
  | 'off-by-you'
  /** Off: the organisation's blocklist, or a site missing from its allowlist. */
  | 'off-by-organisation'
  /** Not a web page ReplyGuard looks at (browser pages, files, extension pages). */
  | 'not-a-site';

export interface SiteStatus {
  host: string | null;
  enabled: boolean;
  state: SiteState;
  /** The user can switch it off (or back on) from the popup. */
  canSwitch: boolean;
}

/**
 * The organisation's decision merged with the user's: the policy wins both ways (an allowlisted
 * site is locked on, a blocked one is off); elsewhere the user's choice counts.
 */
export function siteStatus(
  policy: Pick<ManagedPolicy, 'siteAllowlist' | 'siteBlocklist'>,
  prefs: Pick<SitePrefs, 'switchedOff'>,
  pageUrl: string,
): SiteStatus {
  const host = /^https?:\/\//i.test(pageUrl) ? siteKey(pageUrl) : null;
  if (!host) return { host: null, enabled: false, state: 'not-a-site', canSwitch: false };
  const decision = siteDecision(policy, pageUrl);
  if (decision.lockedOff || !decision.enabled) return { host, enabled: false, state: 'off-by-organisation', canSwitch: false };
  if (decision.lockedOn) return { host, enabled: true, state: 'on-required', canSwitch: false };
  if (prefs.switchedOff.some((s) => s.host === host)) return { host, enabled: false, state: 'off-by-you', canSwitch: true };
  return { host, enabled: true, state: 'on', canSwitch: true };
}
