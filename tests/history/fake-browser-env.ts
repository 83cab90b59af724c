/**
 * Gives WXT's storage (wxt/utils/storage) and wxt/browser a fake browser: both read the global
 * `chrome` when their module is first evaluated, so import this module before them.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';

(globalThis as { chrome?: unknown }).chrome = fakeBrowser;

export { fakeBrowser };
