/**
 * Builds the built-in pack (rules/builtin/ -> rules/generated/builtin.json)
 * and the editor schema (rules/pack.schema.json) from the zod schema.
 * Runs before build, test and bench, so the shipped JSON is never stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePack, PackValidationError } from '../src/engine/compile';
import { packJsonSchema } from '../src/engine/json-schema';
import { loadPackSource, PackSourceError } from '../src/packs/source';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

try {
  const source = loadPackSource(join(root, 'rules/builtin'));
  const compiled = compilePack(source as never);
  mkdirSync(join(root, 'rules/generated'), { recursive: true });
  writeFileSync(join(root, 'rules/generated/builtin.json'), `${JSON.stringify(compiled.pack)}\n`);
  writeFileSync(join(root, 'rules/pack.schema.json'), `${JSON.stringify(packJsonSchema(), null, 2)}\n`);
  console.log(`built-in pack: ${compiled.rules.length} rules -> rules/generated/builtin.json`);
} catch (e) {
  if (e instanceof PackValidationError || e instanceof PackSourceError) {
    console.error(`rules/builtin: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
