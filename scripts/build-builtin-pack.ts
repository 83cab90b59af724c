/**
 * Builds the built-in pack (rules/builtin/ -> rules/generated/builtin.json)
 * and the editor schema (rules/pack.schema.json) from the zod schema.
 * Runs before build, test and bench, so the shipped JSON is never stale.
 *
 * It also refreshes src/engine/generated/inflections.json, the inflections of
 * the pack's phrase terms, so compiling the pack needs no compromise call
 * (src/engine/nlp.ts). That file is kept in git, so the engine has it on a
 * fresh clone; a term missing from it is simply worked out when compiled.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePack, PackValidationError } from '../src/engine/compile';
import { packJsonSchema } from '../src/engine/json-schema';
import { inflectionTable } from '../src/engine/nlp';
import { loadPackSource, PackSourceError } from '../src/packs/source';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

try {
  const source = loadPackSource(join(root, 'rules/builtin'));
  const compiled = compilePack(source as never);
  mkdirSync(join(root, 'rules/generated'), { recursive: true });
  writeFileSync(join(root, 'rules/generated/builtin.json'), `${JSON.stringify(compiled.pack)}\n`);
  writeFileSync(join(root, 'rules/pack.schema.json'), `${JSON.stringify(packJsonSchema(), null, 2)}\n`);
  console.log(`built-in pack: ${compiled.rules.length} rules -> rules/generated/builtin.json`);
  writeInflections(compiled.pack.rules);
} catch (e) {
  if (e instanceof PackValidationError || e instanceof PackSourceError) {
    console.error(`rules/builtin: ${e.message}`);
    process.exit(1);
  }
  throw e;
}

/** Rewrites the inflection table when its content changes (an unchanged file keeps its date, so builds stay fresh). */
function writeInflections(rules: Array<{ kind: string; terms?: string[]; inflect?: boolean }>): void {
  const terms = rules
    .filter((r) => r.kind === 'phrase' && r.inflect !== false)
    .flatMap((r) => (r.terms ?? []).map((t) => t.trim()))
    .filter((t) => !t.endsWith('*')); // phrase.ts leaves wildcard terms uninflected
  const table = inflectionTable(terms);
  const lines = Object.entries(table.terms).map(([term, forms]) => `  ${JSON.stringify(term)}: ${JSON.stringify(forms)}`);
  const text = `{"compromise": ${JSON.stringify(table.compromise)}, "terms": {\n${lines.join(',\n')}\n}}\n`;
  const file = join(root, 'src/engine/generated/inflections.json');
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
    writeFileSync(file, text);
    console.log(`phrase inflections: ${lines.length} terms -> src/engine/generated/inflections.json`);
  }
}
