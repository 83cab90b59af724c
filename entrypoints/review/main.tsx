/** The review page (review.html): renders src/ui/review/review-page.tsx. */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import '../../src/ui/theme.css';
import '../../src/ui/review/review.css';
import { HISTORY_AREA_KEY } from '../../src/history/entry';
import { ReviewPage } from '../../src/ui/review/review-page';

/** The history changed in storage (the background recorded or swept something). */
function onHistoryChange(listener: () => void): () => void {
  const changed = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && HISTORY_AREA_KEY in changes) listener();
  };
  browser.storage.onChanged.addListener(changed);
  return () => browser.storage.onChanged.removeListener(changed);
}

const root = document.getElementById('app');
if (!root) throw new Error('review page: #app element missing from index.html');
render(<ReviewPage send={(message) => browser.runtime.sendMessage(message)} onHistoryChange={onHistoryChange} />, root);
