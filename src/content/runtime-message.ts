/**
 * Sends a message to the extension's background. Not webextension-polyfill here: it would add
 * ~10 KB to a script injected into every page, and it is not needed for this one call — MV3
 * Chromium's chrome.runtime.sendMessage returns a promise, and Firefox has browser.* natively.
 */
interface RuntimeApi {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
}

export function sendRuntimeMessage(message: unknown): Promise<unknown> {
  const g = globalThis as { browser?: RuntimeApi; chrome?: RuntimeApi };
  const api = g.browser?.runtime?.sendMessage ? g.browser : g.chrome;
  if (!api?.runtime?.sendMessage) return Promise.reject(new Error('no extension runtime in this page'));
  return api.runtime.sendMessage(message);
}
