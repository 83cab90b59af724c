/** The policy viewer page (policy.html): renders src/ui/policy/policy-viewer.tsx. */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import '../../src/ui/theme.css';
import '../../src/ui/policy/policy.css';
import { PolicyViewer } from '../../src/ui/policy/policy-viewer';

const root = document.getElementById('app');
if (!root) throw new Error('policy viewer: #app element missing from index.html');
render(<PolicyViewer send={(message) => browser.runtime.sendMessage(message)} />, root);
