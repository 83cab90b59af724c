import { browser } from 'wxt/browser';
import builtinPack from '../rules/generated/builtin.json';
import { createEngineHost } from '../src/background/engine-host';

export default defineBackground(() => {
  // The engine (and compromise) live here, not in the content script injected into every page.
  const engine = createEngineHost(() => builtinPack);
  browser.runtime.onMessage.addListener((message) => engine.handle(message));
});
