/**
 * docs/admin.md promises ready-to-copy files. Each one is read here the way its browser reads it
 * (JSON; a .reg file converted with Chromium's registry rules and managed_schema.json; a
 * configuration profile as a plist) and must give the same, problem-free policy. The example pack
 * must pass its own examples.
 */
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, GECKO_ID } from '../../src/admin/extension-ids';
import { parseManagedConfig, type ManagedPolicy } from '../../src/admin/managed-config';
import { chromeManagedSchema } from '../../src/admin/managed-schema';
import { compilePack, runExamples } from '../../src/engine';
import { parse as parseYaml } from 'yaml';

const doc = readFileSync(new URL('../../docs/admin.md', import.meta.url), 'utf8');
const blocks = (lang: string): string[] => [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

const json = blocks('json').map((text) => JSON.parse(text) as Record<string, any>);
const linux = json.find((j) => j['3rdparty']?.extensions?.[CHROMIUM_EXTENSION_ID]?.packUrls)!['3rdparty'].extensions[CHROMIUM_EXTENSION_ID];

/** The policy a raw value gives; fails the test on any problem. */
function clean(raw: unknown): ManagedPolicy {
  const { policy, problems } = parseManagedConfig(raw);
  expect(problems).toEqual([]);
  return policy;
}

describe('docs/admin.md: the example pack', () => {
  it('is valid and its examples hold', () => {
    const [yaml] = blocks('yaml');
    const compiled = compilePack(parseYaml(yaml!));
    expect(compiled.pack.id).toBe('acme.social');
    expect(runExamples(compiled)).toEqual({ total: 12, failures: [] });
  });
});

describe('docs/admin.md: policy files', () => {
  it('every JSON block parses', () => {
    expect(json.length).toBeGreaterThanOrEqual(4);
  });

  it('Linux (3rdparty.extensions.<pinned id>) gives a clean policy', () => {
    const policy = clean(linux);
    expect(policy.packUrls).toEqual(['https://policy.acme.example/replyguard/acme-social.json']);
    expect(policy.allowOverride).toEqual({ info: true, warning: true, block: false });
  });

  it('Firefox policies.json (policies.3rdparty.Extensions.<gecko id>) gives the same policy', () => {
    const firefox = json.find((j) => j.policies)!;
    expect(clean(firefox.policies['3rdparty'].Extensions[GECKO_ID])).toEqual(clean(linux));
  });

  it('the Google Admin console JSON ({"Value": ...} per setting) is clean', () => {
    const admin = json.find((j) => j.packUrls?.Value)!;
    const unwrapped = Object.fromEntries(Object.entries(admin).map(([k, v]) => [k, (v as { Value: unknown }).Value]));
    const policy = clean(unwrapped);
    expect(policy.packPublicKeys).toEqual(clean(linux).packPublicKeys);
  });

  it('the inline pack example is a valid pack', () => {
    const inline = json.find((j) => j['3rdparty']?.extensions?.[CHROMIUM_EXTENSION_ID]?.inlinePacks)!;
    const policy = clean(inline['3rdparty'].extensions[CHROMIUM_EXTENSION_ID]);
    expect(compilePack(policy.inlinePacks[0] as never).pack.id).toBe('acme.social');
  });
});

/** A .reg file as a tree: key path -> { name: value } (REG_SZ text or REG_DWORD number). */
function parseReg(text: string): Map<string, Record<string, string | number>> {
  const keys = new Map<string, Record<string, string | number>>();
  let current: Record<string, string | number> | undefined;
  for (const line of text.split('\n')) {
    const key = /^\[(.+)\]$/.exec(line.trim());
    if (key) keys.set(key[1]!, (current = {}));
    const value = /^"([^"]+)"=(?:dword:([0-9a-f]{8})|"((?:[^"\\]|\\.)*)")$/.exec(line.trim());
    if (value && current) current[value[1]!] = value[2] ? parseInt(value[2], 16) : value[3]!.replace(/\\(.)/g, '$1');
  }
  return keys;
}

/** Chromium's registry conversion (registry_dict.cc) driven by managed_schema.json. */
function chromiumFromRegistry(keys: Map<string, Record<string, string | number>>, root: string): unknown {
  const schema = chromeManagedSchema() as { properties: Record<string, { type: string; items?: { type: string }; properties?: Record<string, { type: string }> }> };
  const convert = (value: string | number, type: string): unknown => {
    if (type === 'boolean') return typeof value === 'number' ? value !== 0 : value;
    if ((type === 'array' || type === 'object') && typeof value === 'string') return JSON.parse(value);
    return value;
  };
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(keys.get(root) ?? {})) out[name] = convert(value, schema.properties[name]!.type);
  for (const [path, values] of keys) {
    if (!path.startsWith(`${root}\\`)) continue;
    const name = path.slice(root.length + 1);
    const prop = schema.properties[name]!;
    out[name] =
      prop.type === 'array'
        ? Object.keys(values)
            .filter((k) => /^\d+$/.test(k))
            .sort() // Chromium reads them in text order
            .map((k) => convert(values[k]!, prop.items!.type))
        : Object.fromEntries(Object.entries(values).map(([k, v]) => [k, convert(v, prop.properties![k]!.type)]));
  }
  return out;
}

describe('docs/admin.md: Windows registry files', () => {
  const regs = blocks('reg').map(parseReg);
  const chrome = `HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${CHROMIUM_EXTENSION_ID}\\policy`;
  const edge = `HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\${CHROMIUM_EXTENSION_ID}\\policy`;

  it('the sub-key form (Chrome) gives the same policy as the Linux file', () => {
    expect(regs[0]!.has(chrome)).toBe(true);
    expect(clean(chromiumFromRegistry(regs[0]!, chrome))).toEqual(clean(linux));
  });

  it('the JSON-text form (Edge) gives the same policy as the Linux file', () => {
    expect(regs[1]!.has(edge)).toBe(true);
    expect(clean(chromiumFromRegistry(regs[1]!, edge))).toEqual(clean(linux));
  });
});

/** A plist value as JSON. */
function plistValue(el: Element): unknown {
  switch (el.nodeName) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'integer':
      return Number(el.textContent);
    case 'string':
      return el.textContent;
    case 'array':
      return [...el.children].map(plistValue);
    case 'dict': {
      const out: Record<string, unknown> = {};
      const children = [...el.children];
      for (let i = 0; i < children.length; i += 2) out[children[i]!.textContent!] = plistValue(children[i + 1]!);
      return out;
    }
    default:
      throw new Error(`unexpected plist element <${el.nodeName}>`);
  }
}

describe('docs/admin.md: macOS configuration profile', () => {
  it('is well-formed and sets the same policy for Chrome and Edge under their extension domains', () => {
    const [xml] = blocks('xml');
    const parsed = new new Window().DOMParser().parseFromString(xml!, 'application/xml');
    expect(parsed.querySelector('parsererror')).toBeNull();
    const profile = plistValue(parsed.documentElement.children[0] as unknown as Element) as { PayloadType: string; PayloadContent: Array<Record<string, unknown>> };
    expect(profile.PayloadType).toBe('Configuration');
    const payloads = new Map(profile.PayloadContent.map((p) => [p.PayloadType as string, p]));
    const settings = (domain: string) =>
      Object.fromEntries(Object.entries(payloads.get(domain)!).filter(([k]) => !k.startsWith('Payload')));
    expect(clean(settings(`com.google.Chrome.extensions.${CHROMIUM_EXTENSION_ID}`))).toEqual(clean(linux));
    expect(clean(settings(`com.microsoft.Edge.extensions.${CHROMIUM_EXTENSION_ID}`))).toEqual(clean(linux));
    const uuids = [profile, ...profile.PayloadContent].map((p) => (p as { PayloadUUID: string }).PayloadUUID);
    expect(new Set(uuids).size).toBe(3);
  });
});
