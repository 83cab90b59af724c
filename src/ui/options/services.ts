/**
 * Everything the settings page reads and changes, behind one interface: the real browser
 * implementation is here, and the component tests pass fakes. The page never touches the engine
 * itself at start-up: drafts are checked by the background (CHECK_MESSAGE), and the pack validator
 * (with the engine's compiler and the YAML reader) loads only when a file is imported.
 */
import { browser } from 'wxt/browser';
import { CHECK_MESSAGE, type CheckRequest, type CheckResponse } from '../../background/protocol';
import type { ImportContext, ImportResult } from '../../settings/pack-import';
import { listSwitchedOffSites, setSiteSwitchedOff, watchSitePrefs, type SitePrefs } from '../../settings/site-prefs';
import {
  readUserPacks,
  removeDamagedUserPacks,
  removeUserPack,
  setUserPackEnabled,
  watchUserPacks,
  type UserPackList,
} from '../../settings/user-packs';

/**
 * ADMIN_STATUS_KEY from src/admin/admin-runtime.ts, repeated here because importing that module
 * would pull the pack compiler into the page (tests/ui/options/services.test.ts keeps them equal).
 */
export const ADMIN_STATUS_STORAGE_KEY = 'replyguard.admin.status';

export interface OptionsServices {
  /** The background's AdminStatus as stored (unchecked: the page checks it). */
  loadStatus(): Promise<unknown>;
  watchStatus(onChange: (raw: unknown) => void): () => void;
  readUserPacks(): Promise<UserPackList>;
  watchUserPacks(onChange: (list: UserPackList) => void): () => void;
  setUserPackEnabled(id: string, enabled: boolean): Promise<void>;
  removeUserPack(id: string): Promise<void>;
  removeDamagedUserPacks(): Promise<void>;
  importPack(fileName: string, text: string, context: ImportContext): Promise<ImportResult>;
  listSites(): Promise<SitePrefs>;
  watchSites(onChange: (prefs: SitePrefs) => void): () => void;
  setSiteSwitchedOff(host: string, off: boolean): Promise<void>;
  /** Checks a draft in the background, as a reply field's draft is checked. */
  check(text: string): Promise<CheckResponse>;
  /** runtime.getURL for links to the other extension pages. */
  getURL(path: string): string;
}

export function browserServices(): OptionsServices {
  return {
    loadStatus: async () => (await browser.storage.local.get(ADMIN_STATUS_STORAGE_KEY))[ADMIN_STATUS_STORAGE_KEY],
    watchStatus(onChange) {
      const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
        if (area === 'local' && ADMIN_STATUS_STORAGE_KEY in changes) onChange(changes[ADMIN_STATUS_STORAGE_KEY]!.newValue);
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
    readUserPacks,
    watchUserPacks,
    setUserPackEnabled,
    removeUserPack,
    removeDamagedUserPacks,
    importPack: async (fileName, text, context) => (await import('../../settings/pack-import')).importUserPackFile(fileName, text, context),
    listSites: listSwitchedOffSites,
    watchSites: watchSitePrefs,
    setSiteSwitchedOff: (host, off) => setSiteSwitchedOff(host, off),
    check: async (text) => {
      const request: CheckRequest = { type: CHECK_MESSAGE, text };
      const reply = (await browser.runtime.sendMessage(request)) as CheckResponse | undefined;
      return reply ?? { ok: false, error: 'ReplyGuard did not answer (it may be restarting); try again in a moment' };
    },
    getURL: (path) => browser.runtime.getURL(path as '/options.html'),
  };
}
