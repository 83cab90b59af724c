/**
 * Opens the built-in policy viewer at a clause for a page's finding card or guard dialog (see
 * src/content/clause-link.ts: a web page cannot link to an extension page itself). Creating a tab
 * needs no "tabs" permission. Only the viewer is ever opened, at a fragment built here from the
 * two ids, so a page's content script cannot use this to open anything else.
 */
import { clauseFragment, POLICY_VIEWER_PATH } from '../ui/clause-link';
import { messageType, OPEN_CLAUSE_MESSAGE, type BackgroundHandler } from './protocol';

export interface TabsLike {
  create(properties: { url: string; openerTabId?: number; active?: boolean }): Promise<unknown>;
}

/** Ids are short plain strings in every valid pack; anything else is not a clause link. */
const MAX_ID_LENGTH = 200;

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

export function createOpenClauseHost(tabs: TabsLike, getURL: (path: string) => string): BackgroundHandler {
  return (message, sender) => {
    if (messageType(message) !== OPEN_CLAUSE_MESSAGE) return undefined;
    const { pack, clause } = message as { pack?: unknown; clause?: unknown };
    if (!isId(pack) || !isId(clause)) return Promise.resolve({ ok: false, error: 'open-clause: "pack" and "clause" must be ids' });
    const url = `${getURL(POLICY_VIEWER_PATH)}#${clauseFragment(pack, clause)}`;
    return tabs
      .create({ url, active: true, ...(sender.tabId !== undefined ? { openerTabId: sender.tabId } : {}) })
      .then(
        () => ({ ok: true }),
        (error: unknown) => ({ ok: false, error: `could not open the policy: ${error instanceof Error ? error.message : String(error)}` }),
      );
  };
}
