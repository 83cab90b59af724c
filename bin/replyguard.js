#!/usr/bin/env node
/**
 * The replyguard launcher (package.json "bin").
 *
 * In a source checkout with dev dependencies installed (after `npm ci`) it
 * runs src/cli/main.ts through tsx's ESM loader, so rule and code edits take
 * effect without a build. Without the source tree or tsx it runs
 * dist/replyguard.mjs, the self-contained bundle from `npm run build:cli`.
 */
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const bundle = new URL('../dist/replyguard.mjs', import.meta.url);

/** tsx's ESM API, or null when tsx is not installed (production installs, copied bundles). */
async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch (e) {
    if (e && (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND')) return null;
    throw e;
  }
}

const tsx = existsSync(source) ? await loadTsx() : null;
if (tsx) {
  // tsconfig: false so the caller's working directory (maybe another project) cannot change how ReplyGuard compiles.
  tsx.register({ tsconfig: false });
  await import(source.href);
} else if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write('replyguard: cannot start: neither the source tree with tsx (run npm ci) nor dist/replyguard.mjs (run npm run build:cli) is present\n');
  process.exitCode = 2;
}
