import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

export default defineConfig({
  // The project root holds src/ (engine, CLI), tests/ and scripts/ beside the extension, so every
  // directory WXT scans is named explicitly: only entrypoints/ becomes extension entrypoints, and
  // src/ and tests/ are never picked up as entrypoints or public assets.
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  publicDir: 'public',
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'ReplyGuard',
    description: "Checks staff replies against your organisation's social media policy before they are posted. Nothing leaves your machine.",
    permissions: ['storage'],
    // Firefox needs a fixed add-on id for storage to survive reloads, and a data-collection
    // declaration: ReplyGuard collects nothing (drafts are checked locally and never sent).
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'replyguard@replyguard', data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
});
