/**
 * Writes public/managed_schema.json (Chromium's managed-storage schema) from
 * the zod schema in src/admin/managed-config.ts. Run after changing a managed
 * key: `npx tsx scripts/build-managed-schema.ts`; tests/admin/managed-schema.test.ts
 * fails while the file is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromeManagedSchema } from '../src/admin/managed-schema';

export const MANAGED_SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'managed_schema.json');

export function managedSchemaText(): string {
  return `${JSON.stringify(chromeManagedSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(MANAGED_SCHEMA_PATH), { recursive: true });
  writeFileSync(MANAGED_SCHEMA_PATH, managedSchemaText());
  console.log(`managed schema -> ${MANAGED_SCHEMA_PATH}`);
}
