/** A stand-in PopupApi for the component tests: the page's answer and settings are plain fields. */
import { vi } from 'vitest';
import type { FieldStatus, PageStatus } from '../../../src/content/page-status';
import type { Finding } from '../../../src/engine/types';
import type { SiteStatus } from '../../../src/settings/site-prefs';
import type { PopupApi } from '../../../src/ui/popup/api';
import type { AdminTrouble } from '../../../src/ui/popup/model';

export const getURL = (path: string) => `chrome-extension://rg${path}`;

export function finding(text: string, words: string, over: Partial<Finding> = {}): Finding {
  const start = text.indexOf(words);
  if (start < 0) throw new Error(`"${words}" is not in the draft`);
  return {
    rule: `test.${words.replace(/\W+/g, '-').toLowerCase()}`,
    pack: 'builtin',
    category: 'commitment',
    severity: 'warning',
    mode: 'enforce',
    message: `Careful with "${words}".`,
    start,
    end: start + words.length,
    excerpt: words,
    clause: { id: 'commitments', title: 'Promises on behalf of the organisation', url: null },
    ...over,
  };
}

export function field(over: Partial<FieldStatus> = {}): FieldStatus {
  return { id: 1, label: '', focused: false, state: 'checked', text: '', findings: [], ...over };
}

export const SITE_ON: SiteStatus = { host: 'forum.example.org', enabled: true, state: 'on', canSwitch: true };

export class FakePopupApi implements PopupApi {
  tabId: number | null = 7;
  inTab = true;
  reviewUrl = 'chrome-extension://rg/review.html';
  page: PageStatus | null | 'never' = { url: 'https://forum.example.org/t/1', running: true, fields: [] };
  site: SiteStatus = SITE_ON;
  trouble: AdminTrouble | null = null;
  actionReply: { ok: true } | { ok: false; error: string } = { ok: true };
  private watchers = new Set<() => void>();

  pageStatus = vi.fn(async () => (this.page === 'never' ? new Promise<never>(() => undefined) : structuredClone(this.page)));
  goToFinding = vi.fn(async () => this.actionReply);
  ignoreFinding = vi.fn(async () => this.actionReply);
  siteStatus = vi.fn(async () => this.site);
  setSiteSwitchedOff = vi.fn(async (_host: string, off: boolean) => {
    this.site = { ...this.site, enabled: !off, state: off ? 'off-by-you' : 'on' };
    if (this.page && this.page !== 'never') this.page = { ...this.page, running: !off };
    for (const w of this.watchers) w();
  });
  adminTrouble = vi.fn(async () => this.trouble);
  watchSettings = vi.fn((onChange: () => void) => {
    this.watchers.add(onChange);
    return () => this.watchers.delete(onChange);
  });
  openSettings = vi.fn();
  showPage = vi.fn();
}
