import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

export default defineConfig({
  srcDir: '.',
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: {
    name: 'ReplyGuard',
    description: "Checks staff replies against your organisation's social media policy before they are posted. Nothing leaves your machine.",
    permissions: ['storage'],
  },
});
