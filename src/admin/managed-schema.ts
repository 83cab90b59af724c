/**
 * public/managed_schema.json, the Chromium managed-storage schema, derived
 * from the zod schema in managed-config.ts (scripts/build-managed-schema.ts
 * writes it; a test keeps it fresh).
 *
 * Chromium accepts a small JSON Schema subset and refuses to load an
 * extension whose schema uses anything else (components/policy/core/common/
 * schema.cc): per type only type, title, description, id, $ref,
 * sensitiveValue, plus items (array), properties / patternProperties /
 * additionalProperties / required (object), enum (string, integer), pattern
 * (string), minimum / maximum (integer) — no "format", "anyOf", "$schema" or
 * "propertyNames". The schema here declares types only, on purpose: Chromium
 * silently drops a value that breaks a schema restriction, whereas
 * parseManagedConfig reports it to the user and the administrator in plain
 * words. Types must stay, because Windows registry values are converted by
 * them (a REG_DWORD becomes a boolean or an integer, a JSON string a list).
 */
import { z } from 'zod';
import { ManagedConfigSchema } from './managed-config';

type JsonSchema = Record<string, unknown>;

const CHROME_TYPES = new Set(['array', 'boolean', 'integer', 'number', 'object', 'string']);

/** Reduces one zod-generated JSON Schema node to the types-only Chromium subset. */
function toChromeNode(node: JsonSchema): JsonSchema {
  // A union (anyOf): Chromium has none; the first branch it can express is the form Chrome policies use.
  if (Array.isArray(node.anyOf)) {
    const branch = (node.anyOf as JsonSchema[]).find((b) => CHROME_TYPES.has(b.type as string));
    if (!branch) throw new Error('a managed key has no form Chromium policy can express');
    return toChromeNode({ ...branch, description: node.description ?? branch.description });
  }
  const type = node.type as string;
  if (!CHROME_TYPES.has(type)) throw new Error(`a managed key has a type Chromium policy cannot express: ${JSON.stringify(node)}`);
  const out: JsonSchema = { type };
  if (typeof node.description === 'string') out.description = node.description;
  if (type === 'array') out.items = toChromeNode(node.items as JsonSchema);
  if (type === 'object' && node.properties) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties as Record<string, JsonSchema>).map(([k, v]) => [k, toChromeNode(v)]),
    );
  }
  return out;
}

export function chromeManagedSchema(): JsonSchema {
  const full = z.toJSONSchema(ManagedConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const properties = toChromeNode(full).properties;
  return {
    type: 'object',
    title: 'ReplyGuard organisation policy',
    description:
      'Set through Chrome or Edge enterprise policy (3rdparty extension policy). Values are checked again by ReplyGuard, which shows any it ignores in its settings and popup.',
    properties,
  };
}
