/** The settings page (the extension's options page, options.html): renders src/ui/options/options-app.tsx. */
import { render } from 'preact';
import '../../src/ui/theme.css';
import '../../src/ui/options/options.css';
// Named imports let Vite leave the built-in pack's rules out of this page's bundle.
import { id, name, publisher, version } from '../../rules/generated/builtin.json';
import { OptionsApp } from '../../src/ui/options/options-app';
import { browserServices } from '../../src/ui/options/services';

const root = document.getElementById('app');
if (!root) throw new Error('settings: #app element missing from index.html');
render(<OptionsApp services={browserServices()} builtin={{ id, name, publisher, version }} />, root);
