/**
 * The toolbar popup (popup.html): renders src/ui/popup/popup-app.tsx for the active tab, or for
 * the tab named by popup.html?tab=<id> when the popup is opened as a tab of its own.
 */
import { render } from 'preact';
import '../../src/ui/theme.css';
import '../../src/ui/popup/popup.css';
import { browserPopupApi } from '../../src/ui/popup/api';
import { PopupApp } from '../../src/ui/popup/popup-app';
// Named imports let Vite leave the built-in pack's rules out of the popup bundle.
import { name, version } from '../../rules/generated/builtin.json';

const root = document.getElementById('app');
if (!root) throw new Error('popup: #app element missing from index.html');
void browserPopupApi().then((api) => render(<PopupApp api={api} builtin={{ name, version }} />, root));
