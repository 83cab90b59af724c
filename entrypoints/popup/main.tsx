/**
 * Placeholder popup: shows which built-in policy pack this build carries.
 * The real popup (settings, per-site toggles) replaces this later.
 */
import { render } from 'preact';
// Named imports let Vite tree-shake the rest of the pack (rules, examples) out of the popup bundle.
import { name as packName, version as packVersion } from '../../rules/generated/builtin.json';

function Popup() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '12px 16px', minWidth: '240px' }}>
      <h1 style={{ fontSize: '18px', margin: '0 0 8px' }}>ReplyGuard</h1>
      <p data-testid="builtin-pack" style={{ margin: 0 }}>
        {packName} <span data-testid="builtin-pack-version">v{packVersion}</span>
      </p>
    </main>
  );
}

const root = document.getElementById('app');
if (!root) throw new Error('popup: #app element missing from index.html');
render(<Popup />, root);
