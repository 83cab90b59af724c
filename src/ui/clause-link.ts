/**
 * Where a finding's "policy clause" link goes (shared by every extension page):
 * - the organisation's own policy page for the clause, when the pack gives one (clause.url, which
 *   the engine already builds from the policy url + the clause's anchor);
 * - otherwise the built-in policy viewer at that clause: policy.html#<pack>/<clause>. The viewer
 *   (entrypoints/policy) gives each clause section the element id `${packId}/${clauseId}` and
 *   scrolls to it on load and on hashchange.
 */
import type { Finding } from '../engine/types';

/** A finding, or just the pack and clause a link is for (the clause as its id or as a finding's clause). */
export type ClauseTarget =
  | Pick<Finding, 'pack' | 'clause'>
  | { pack: string; clause: string | { id: string; url?: string | null } };

/** The extension page path of the built-in policy viewer. */
export const POLICY_VIEWER_PATH = '/policy.html';

interface RuntimeLike {
  runtime?: { getURL?(path: string): string };
}

/** The extension's own URL for a path (browser.* on Firefox, chrome.* on Chromium). */
function extensionUrl(path: string): string {
  const g = globalThis as { browser?: RuntimeLike; chrome?: RuntimeLike };
  const runtime = g.browser?.runtime?.getURL ? g.browser.runtime : g.chrome?.runtime;
  if (!runtime?.getURL) throw new Error('clauseHref: not running in an extension page (no runtime.getURL)');
  return runtime.getURL(path);
}

/** The fragment the policy viewer reads: `<pack>/<clause>`, each part URL-encoded. */
export function clauseFragment(pack: string, clauseId: string): string {
  return `${encodeURIComponent(pack)}/${encodeURIComponent(clauseId)}`;
}

/**
 * The link for a clause. getURL is the extension's runtime.getURL (injectable for tests and for
 * pages that already hold `browser`).
 */
export function clauseHref(target: ClauseTarget, getURL: (path: string) => string = extensionUrl): string {
  const clause = typeof target.clause === 'string' ? { id: target.clause, url: null } : target.clause;
  if (clause.url) return clause.url;
  return `${getURL(POLICY_VIEWER_PATH)}#${clauseFragment(target.pack, clause.id)}`;
}

/** True when the link leaves the extension for the organisation's own policy page. */
export function isExternalClauseLink(target: ClauseTarget): boolean {
  return typeof target.clause !== 'string' && !!target.clause.url;
}
