/** The review page (review.html): renders src/ui/review/review-page.tsx. */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import '../../src/ui/theme.css';
import '../../src/ui/review/review.css';
import { ReviewPage } from '../../src/ui/review/review-page';

const root = document.getElementById('app');
if (!root) throw new Error('review page: #app element missing from index.html');
render(<ReviewPage send={(message) => browser.runtime.sendMessage(message)} />, root);
