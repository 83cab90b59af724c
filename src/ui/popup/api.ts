/**
 * Everything the popup asks of the browser, behind one interface so the component tests can hand
 * in a stand-in (tests/ui/popup) and the real one (browserPopupApi) stays small.
 *
 * Which tab the popup is for: `popup.html?tab=<id>` names it (the popup opened as a tab: tests,
 * or a keyboard user who pinned it); otherwise the active tab of the current window, as when the
 * toolbar button opens the popup. The tab is reached by messaging its content script
 * (tabs.sendMessage needs no permission); the page's URL comes from that answer, so the popup
 * needs neither the "tabs" permission nor host permissions.
 */
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { ADMIN_STATUS_KEY } from '../../admin/admin-runtime';
import { readManagedPolicy } from '../../admin/read-managed';
import {
  GO_TO_FINDING_MESSAGE,
  IGNORE_FINDING_MESSAGE,
  PAGE_STATUS_MESSAGE,
  SITE_PREFS_KEY,
  type ActionReply,
  type FindingRef,
  type PageStatus,
} from '../../content/page-status';
import { readSitePrefs, setSiteSwitchedOff, siteStatus, type SiteStatus } from '../../settings/site-prefs';
import type { AdminTrouble } from './model';

export interface PopupApi {
  /** The tab the popup is for, or null when there is none (a window without tabs). */
  tabId: number | null;
  /** The popup is a tab of its own (popup.html?tab=<id>), not the toolbar popup. */
  inTab: boolean;
  /** The page's answer; null when nothing in the page answers (no ReplyGuard there). */
  pageStatus(): Promise<PageStatus | null>;
  goToFinding(field: number, finding: FindingRef): Promise<ActionReply>;
  ignoreFinding(field: number, finding: FindingRef): Promise<ActionReply>;
  siteStatus(pageUrl: string): Promise<SiteStatus>;
  setSiteSwitchedOff(host: string, off: boolean): Promise<void>;
  /** The organisation's pack and policy trouble; null when there is no status yet. */
  adminTrouble(): Promise<AdminTrouble | null>;
  /** Calls back when site choices, the organisation's policy or the admin status change. */
  watchSettings(onChange: () => void): () => void;
  /** Opens the settings page. */
  openSettings(): void;
  /** The review page's address (flagged drafts). */
  reviewUrl: string;
  /** After "go to finding": show the page (activate its tab, or close the toolbar popup). */
  showPage(): void;
}

/** The part of AdminStatus the popup reads; a damaged status is reported, never thrown. */
const StoredAdminStatus = z.looseObject({
  policyProblems: z.array(z.string()).default([]),
  packProblems: z.array(z.string()).default([]),
  remote: z.array(z.looseObject({ url: z.string(), ok: z.boolean(), message: z.string() })).default([]),
  holdPosts: z.boolean().default(false),
});

export function parseAdminTrouble(value: unknown): AdminTrouble | null {
  if (value === undefined || value === null) return null;
  const parsed = StoredAdminStatus.safeParse(value);
  if (!parsed.success) return { updates: [], problems: ["ReplyGuard's record of your organisation's rules is damaged; it will be rebuilt."], holdPosts: false };
  const s = parsed.data;
  return {
    updates: s.remote.filter((r) => !r.ok).map((r) => r.message),
    problems: [...s.packProblems, ...s.policyProblems],
    holdPosts: s.holdPosts,
  };
}

/** The tab id from popup.html?tab=<id>, or null when the query does not name one. */
export function tabFromQuery(search: string): number | null {
  const raw = new URLSearchParams(search).get('tab');
  if (raw === null || !/^\d+$/.test(raw)) return null;
  return Number(raw);
}

/** The real thing: the toolbar popup, or popup.html?tab=<id> opened as a tab. */
export async function browserPopupApi(location: Location = window.location): Promise<PopupApi> {
  const named = tabFromQuery(location.search);
  const tabId = named ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id ?? null;
  const inTab = named !== null;
  // Only the top frame answers (reply boxes in same-origin frames are its own).
  const send = <T>(message: unknown): Promise<T> => browser.tabs.sendMessage(tabId!, message, { frameId: 0 }) as Promise<T>;
  return {
    tabId,
    inTab,
    async pageStatus() {
      if (tabId === null) return null;
      try {
        const answer = await send<PageStatus | undefined>({ type: PAGE_STATUS_MESSAGE });
        return answer && Array.isArray(answer.fields) ? answer : null;
      } catch {
        return null; // nothing in the page listens: a browser page, or not injected yet
      }
    },
    goToFinding: (field, finding) => send<ActionReply>({ type: GO_TO_FINDING_MESSAGE, field, finding }),
    ignoreFinding: (field, finding) => send<ActionReply>({ type: IGNORE_FINDING_MESSAGE, field, finding }),
    async siteStatus(pageUrl) {
      const [{ policy }, prefs] = await Promise.all([readManagedPolicy(browser.storage), readSitePrefs()]);
      return siteStatus(policy, prefs, pageUrl);
    },
    setSiteSwitchedOff: (host, off) => setSiteSwitchedOff(host, off),
    async adminTrouble() {
      const stored = await browser.storage.local.get(ADMIN_STATUS_KEY);
      return parseAdminTrouble(stored[ADMIN_STATUS_KEY]);
    },
    watchSettings(onChange) {
      const listener = (changes: Record<string, unknown>, area: string) => {
        if (area === 'managed' || (area === 'local' && (SITE_PREFS_KEY in changes || ADMIN_STATUS_KEY in changes))) onChange();
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
    openSettings: () => void browser.runtime.openOptionsPage(),
    reviewUrl: browser.runtime.getURL('/review.html'),
    showPage() {
      if (inTab && tabId !== null) void browser.tabs.update(tabId, { active: true });
      else window.close();
    },
  };
}
