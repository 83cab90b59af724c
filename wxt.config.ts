import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { CHROMIUM_MANIFEST_KEY, GECKO_ID } from './src/admin/extension-ids';

export default defineConfig({
  // The project root holds src/ (engine, CLI), tests/ and scripts/ beside the extension, so every
  // directory WXT scans is named explicitly: only entrypoints/ becomes extension entrypoints, and
  // src/ and tests/ are never picked up as entrypoints or public assets.
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  publicDir: 'public',
  // REPLYGUARD_OUT_DIR lets parallel builds (several developers' e2e runs on one machine) use
  // separate output directories; the e2e harness reads REPLYGUARD_EXTENSION_DIR to match.
  outDir: process.env.REPLYGUARD_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  hooks: {
    // The content script is injected into every page and must stay small (<= 30 KB). WXT's
    // content-script wrapper imports wxt/browser, which the polyfill module aliases to
    // webextension-polyfill (~10 KB). The content script needs no polyfill: it only sends messages
    // (src/content/runtime-message.ts uses browser.* on Firefox, chrome.* with promises on MV3
    // Chromium), so its build keeps WXT's own wxt/browser (the native browser/chrome global).
    // The background, popup and options builds still get the polyfill.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((entrypoint) => entrypoint.type === 'content-script')) return;
      const alias = config.resolve?.alias;
      if (alias && !Array.isArray(alias)) delete (alias as Record<string, string>)['wxt/browser'];
    },
  },
  manifest: ({ browser }) => ({
    name: 'ReplyGuard',
    description: "Checks staff replies against your organisation's social media policy before they are posted. Nothing leaves your machine.",
    // alarms: the organisation's remote packs are refreshed on a schedule (src/admin/remote-packs.ts).
    permissions: ['storage', 'alarms'],
    // The content script imports its drawn UI on the first focus of a reply field
    // (src/content/ui.ts). Chromium's use_dynamic_url gives the file a per-session URL, so pages
    // cannot probe for it to detect ReplyGuard; Firefox MV2 takes a plain list of paths.
    web_accessible_resources:
      browser === 'firefox'
        ? ['content-ui.js']
        : [{ resources: ['content-ui.js'], matches: ['http://*/*', 'https://*/*'], use_dynamic_url: true }],
    // Chromium: the managed-storage schema for enterprise policy (public/managed_schema.json,
    // generated from src/admin/managed-config.ts), and a fixed public key so the extension id is
    // the same on every machine and policies can name it (src/admin/extension-ids.ts).
    ...(browser !== 'firefox' && {
      key: CHROMIUM_MANIFEST_KEY,
      storage: { managed_schema: 'managed_schema.json' },
    }),
    // Firefox needs a fixed add-on id for storage to survive reloads, and a data-collection
    // declaration: ReplyGuard collects nothing (drafts are checked locally and never sent).
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: GECKO_ID, data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
});
