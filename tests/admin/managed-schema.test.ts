import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, CHROMIUM_MANIFEST_KEY, chromiumIdForKey } from '../../src/admin/extension-ids';
import { MANAGED_KEYS, parseManagedConfig } from '../../src/admin/managed-config';
import { chromeManagedSchema } from '../../src/admin/managed-schema';
import { MANAGED_SCHEMA_PATH, managedSchemaText } from '../../scripts/build-managed-schema';

/**
 * The attributes Chromium's policy schema parser accepts per type
 * (components/policy/core/common/schema.cc, kAttributesAndTypesFor*); any
 * other attribute makes Chromium refuse to load the extension.
 */
const ALLOWED: Record<string, string[]> = {
  array: ['description', 'id', 'items', 'sensitiveValue', 'title', 'type'],
  boolean: ['description', 'id', 'sensitiveValue', 'title', 'type'],
  integer: ['description', 'enum', 'id', 'maximum', 'minimum', 'sensitiveValue', 'title', 'type'],
  number: ['description', 'id', 'sensitiveValue', 'title', 'type'],
  object: ['additionalProperties', 'description', 'id', 'patternProperties', 'properties', 'required', 'sensitiveValue', 'title', 'type'],
  string: ['description', 'enum', 'id', 'pattern', 'sensitiveValue', 'title', 'type'],
};

/** Mirrors Chromium's IsValidSchema; returns the problems found (empty: Chromium accepts it). */
function chromiumSchemaProblems(node: Record<string, unknown>, path = '$'): string[] {
  const type = node.type;
  if (typeof type !== 'string') return [`${path}: each schema must have a 'type' or '$ref'`];
  const allowed = ALLOWED[type];
  if (!allowed) return [`${path}: unknown type '${type}'`];
  const problems = Object.keys(node)
    .filter((k) => !allowed.includes(k))
    .map((k) => `${path}: unknown attribute '${k}' for type ${type}`);
  if (type === 'array') {
    if (!node.items || typeof node.items !== 'object') problems.push(`${path}: an array must have a schema in 'items'`);
    else problems.push(...chromiumSchemaProblems(node.items as Record<string, unknown>, `${path}.items`));
  }
  if (type === 'object' && node.properties) {
    for (const [k, v] of Object.entries(node.properties as Record<string, Record<string, unknown>>))
      problems.push(...chromiumSchemaProblems(v, `${path}.${k}`));
  }
  return problems;
}

describe('public/managed_schema.json', () => {
  it('is up to date with the zod schema (run `npx tsx scripts/build-managed-schema.ts` after changing a key)', () => {
    expect(readFileSync(MANAGED_SCHEMA_PATH, 'utf8')).toBe(managedSchemaText());
  });

  it('uses only what Chromium accepts: a top-level object, no additionalProperties at the top, known attributes only', () => {
    const schema = chromeManagedSchema();
    expect(schema.type).toBe('object');
    expect(schema).not.toHaveProperty('additionalProperties');
    expect(chromiumSchemaProblems(schema)).toEqual([]);
  });

  it('the checker itself catches what Chromium refuses', () => {
    expect(chromiumSchemaProblems({ type: 'string', format: 'uri' })).toEqual(["$: unknown attribute 'format' for type string"]);
    expect(chromiumSchemaProblems({ type: 'array' })).toEqual(["$: an array must have a schema in 'items'"]);
    expect(chromiumSchemaProblems({ anyOf: [] })).toEqual(["$: each schema must have a 'type' or '$ref'"]);
    expect(chromiumSchemaProblems({ type: 'number', minimum: 0 })).toEqual(["$: unknown attribute 'minimum' for type number"]);
  });

  it('declares every managed key, with the type the parser expects', () => {
    const props = chromeManagedSchema().properties as Record<string, { type: string; items?: { type: string } }>;
    expect(Object.keys(props).sort()).toEqual([...MANAGED_KEYS].sort());
    // A value of each declared type (as Chromium delivers after converting registry values) parses without problems.
    const sample: Record<string, unknown> = {};
    const example: Record<string, unknown> = {
      string: 'https://packs.example.org/p.json',
      boolean: true,
      integer: 30,
    };
    for (const [key, p] of Object.entries(props)) {
      if (p.type === 'array') sample[key] = [];
      else if (p.type === 'object') sample[key] = {};
      else sample[key] = key === 'failMode' ? 'closed' : example[p.type];
    }
    expect(parseManagedConfig(sample).problems).toEqual([]);
  });
});

describe('pinned extension ids', () => {
  it('the manifest key gives the documented Chromium extension id', async () => {
    expect(await chromiumIdForKey(CHROMIUM_MANIFEST_KEY)).toBe(CHROMIUM_EXTENSION_ID);
    expect(CHROMIUM_EXTENSION_ID).toMatch(/^[a-p]{32}$/);
  });

  it('docs/admin.md names the real ids', () => {
    const doc = readFileSync(new URL('../../docs/admin.md', import.meta.url), 'utf8');
    expect(doc).toContain(CHROMIUM_EXTENSION_ID);
    expect(doc).toContain('replyguard@replyguard');
  });
});
