/**
 * Builds dist/replyguard.mjs: the whole CLI in one ESM file that needs
 * Node >= 22 and nothing else (every npm dependency inlined). The built-in
 * pack is validated here and embedded as JSON, since the bundle has no
 * rules/ directory beside it.
 */
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { compilePack, PackValidationError } from '../src/engine/compile';
import { loadPackSource, PackSourceError } from '../src/packs/source';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'replyguard.mjs');

function builtinPackJson(): string {
  try {
    return JSON.stringify(compilePack(loadPackSource(join(root, 'rules/builtin')) as never).pack);
  } catch (e) {
    if (e instanceof PackValidationError || e instanceof PackSourceError) {
      console.error(`rules/builtin: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // Bundled CommonJS dependencies may call require() for Node built-ins; ESM has no require, so give them one.
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __replyguardCreateRequire } from 'node:module';",
      'const require = __replyguardCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  define: {
    __REPLYGUARD_BUILTIN_PACK__: JSON.stringify(builtinPackJson()),
    __REPLYGUARD_VERSION__: JSON.stringify(version),
  },
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
});

chmodSync(outfile, 0o755);
const kb = (statSync(outfile).size / 1024).toFixed(0);
console.log(`replyguard ${version}: ${relative(root, outfile)} (${kb} KiB, no dependencies)`);
