/**
 * The policy clause behind a finding, as a link in the page's UI (finding card, guard dialog).
 * An organisation's pack usually links its own policy page: a plain link opens it. The built-in
 * pack has no web page, and a web page may not link to the extension's policy viewer (extension
 * pages are not web-accessible, on purpose), so that link asks the background to open the viewer
 * at the clause (OPEN_CLAUSE_MESSAGE).
 */
import { OPEN_CLAUSE_MESSAGE, type OpenClauseRequest } from '../background/protocol';
import type { Finding } from '../engine/types';
import { sendRuntimeMessage } from './runtime-message';

export function clauseLink(doc: Document, finding: Pick<Finding, 'pack' | 'clause'>): HTMLElement {
  const { clause } = finding;
  if (clause.url) {
    const link = doc.createElement('a');
    link.href = clause.url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.textContent = clause.title;
    return link;
  }
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'link';
  button.dataset.clause = clause.id;
  button.textContent = clause.title;
  button.title = 'Read this clause of the policy (opens in a new tab)';
  button.addEventListener('click', () => {
    const request: OpenClauseRequest = { type: OPEN_CLAUSE_MESSAGE, pack: finding.pack, clause: clause.id };
    // Nothing to show the writer if it fails: the clause title is there to read either way.
    void sendRuntimeMessage(request).catch(() => undefined);
  });
  return button;
}
