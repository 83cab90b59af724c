/**
 * The managed (enterprise policy) configuration: what an administrator can set
 * through Chrome / Edge policy (3rdparty extension policy, declared in
 * public/managed_schema.json) or Firefox policies.json (3rdparty.Extensions).
 *
 * One zod schema describes every key; public/managed_schema.json is generated
 * from it (scripts/build-managed-schema.ts). Parsing is forgiving by design: an
 * administrator's typo in one value must not switch off the rest of the policy,
 * so each value is checked on its own, a bad value (or a bad list item) is
 * reported in plain words and replaced by its default, and everything else
 * applies.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../engine/categories';
import { isPublicKeyText, PUBLIC_KEY_FORMAT } from './signature';

/**
 * HTTPS, or plain http to this machine (127.0.0.1, localhost, [::1]) for
 * testing: loopback traffic never crosses a network, and packs are signed
 * either way.
 */
export function isAllowedPolicyUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

const PolicyUrl = z.string().refine(isAllowedPolicyUrl, {
  message: 'is not an HTTPS address (https://...; plain http is accepted only for 127.0.0.1 or localhost)',
});

const PublicKey = z.string().refine(isPublicKeyText, { message: `is not a public key (${PUBLIC_KEY_FORMAT})` });

/** "example.com" (that host), "*.example.com" (it and its subdomains), or a URL whose host is taken. */
const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** The host pattern a site list entry stands for, or null when it is not one. */
export function normaliseSitePattern(entry: string): string | null {
  const text = entry.trim().toLowerCase();
  if (HOST_PATTERN.test(text)) return text;
  try {
    const url = new URL(text);
    if ((url.protocol === 'https:' || url.protocol === 'http:') && HOST_PATTERN.test(url.hostname)) return url.hostname;
  } catch {
    // not a URL either
  }
  return null;
}

const SitePattern = z.string().refine((s) => normaliseSitePattern(s) !== null, {
  message: 'is not a site (expected a host name such as example.com or *.example.com)',
});

const PackId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'is not a pack id (lower-case letters, digits, dots, dashes)' });

/**
 * A pack written into the policy itself, for machines that cannot reach a pack
 * server. Chrome's policy schema cannot describe a whole pack, so Chrome and
 * Edge take the pack as JSON text; Firefox's policies.json may also hold it as
 * an object. Inline packs need no signature: the policy is already trusted.
 */
const InlinePack = z.union([
  z.string().describe('The pack as JSON text (the output of "replyguard pack build").'),
  z.record(z.string(), z.unknown()),
]);

const OverrideBySeverity = z
  .strictObject(Object.fromEntries(SEVERITIES.map((s) => [s, z.boolean().optional()])) as Record<Severity, z.ZodOptional<z.ZodBoolean>>)
  .describe('Per severity: may the writer post anyway (with a reason) when a finding of that severity is present?');

/** Every managed key. All optional: an absent key keeps its default. */
export const ManagedConfigSchema = z.object({
  packUrls: z
    .array(PolicyUrl)
    .describe('HTTPS addresses of signed rule packs; each needs its signature at the same address plus ".sig".'),
  packPublicKeys: z.array(PublicKey).describe(`Trusted signing keys for packUrls (${PUBLIC_KEY_FORMAT}).`),
  inlinePacks: z.array(InlinePack).describe('Rule packs as JSON text, for offline deployment (no signature needed).'),
  disableBuiltInPack: z.boolean().describe('true: only the organisation\'s packs run, not the built-in pack.'),
  allowUserPacks: z.boolean().describe('false: packs the user imports are not used.'),
  allowOverride: OverrideBySeverity,
  failMode: z
    .enum(['open', 'closed'])
    .describe('When no organisation pack can be loaded: open = check with what is available; closed = hold posts until it loads.'),
  siteAllowlist: z.array(SitePattern).describe('If set, ReplyGuard runs only on these sites and the user cannot switch them off.'),
  siteBlocklist: z.array(SitePattern).describe('ReplyGuard never runs on these sites.'),
  historyRetentionDays: z.number().int().min(0).max(3650).describe('Days flagged drafts are kept in the review history (0: not kept).'),
  storeFullText: z.boolean().describe('true: the history and audit events keep the full draft; false: flagged words are masked.'),
  auditEndpoint: PolicyUrl.describe('HTTPS address that receives audit events as JSON (POST).'),
  auditPacks: z.array(PackId).describe('Ids of packs to run in audit mode: evaluated and recorded, never shown to the writer.'),
});

export type ManagedKey = keyof typeof ManagedConfigSchema.shape;
export const MANAGED_KEYS = Object.keys(ManagedConfigSchema.shape) as ManagedKey[];

/** The policy in effect: every key present, defaults where the administrator set nothing valid. */
export interface ManagedPolicy {
  packUrls: string[];
  packPublicKeys: string[];
  /** Inline packs as parsed JSON, not yet validated as packs (pack-set.ts does that). */
  inlinePacks: unknown[];
  disableBuiltInPack: boolean;
  allowUserPacks: boolean;
  allowOverride: Record<Severity, boolean>;
  failMode: 'open' | 'closed';
  /** Normalised host patterns ("example.com", "*.example.com"). */
  siteAllowlist: string[];
  siteBlocklist: string[];
  historyRetentionDays: number;
  storeFullText: boolean;
  auditEndpoint: string | null;
  auditPacks: string[];
}

/** Without any policy, ReplyGuard behaves as an unmanaged install always has. */
export const DEFAULT_POLICY: Readonly<ManagedPolicy> = Object.freeze({
  packUrls: [],
  packPublicKeys: [],
  inlinePacks: [],
  disableBuiltInPack: false,
  allowUserPacks: true,
  allowOverride: { info: true, warning: true, block: true },
  failMode: 'open',
  siteAllowlist: [],
  siteBlocklist: [],
  historyRetentionDays: 90,
  storeFullText: false,
  auditEndpoint: null,
  auditPacks: [],
});

export interface ParsedPolicy {
  policy: ManagedPolicy;
  /** One plain sentence per ignored value, e.g. 'packUrls item 2 ("http://x") is not an HTTPS address ...; ignored'. */
  problems: string[];
  /** Keys the administrator set (validly or not): settings show these as "set by your organisation". */
  configured: ManagedKey[];
}

function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

/** The first issue of a failed parse, as the end of a sentence about the value. */
function reason(error: z.ZodError, value: unknown): string {
  const issue = error.issues[0]!;
  switch (issue.code) {
    case 'invalid_type':
      return `should be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, not ${typeName(value)}`;
    case 'invalid_value':
      return `should be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `should be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `should be at most ${String(issue.maximum)}`;
    case 'invalid_union':
      return 'should be a pack as JSON text';
    default:
      return issue.message.startsWith('is ') ? issue.message : `is not valid (${issue.message})`;
  }
}

function setKey<K extends ManagedKey>(policy: ManagedPolicy, key: K, value: unknown): void {
  (policy as unknown as Record<string, unknown>)[key] = value;
}

/**
 * Reads the raw managed storage contents (whatever the browser delivered) into
 * the policy in effect. Never throws: every problem is reported and skipped.
 */
export function parseManagedConfig(raw: unknown): ParsedPolicy {
  const policy: ManagedPolicy = structuredClone(DEFAULT_POLICY) as ManagedPolicy;
  const problems: string[] = [];
  const configured: ManagedKey[] = [];
  if (raw === undefined || raw === null) return { policy, problems, configured };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`The policy should be an object of settings, not ${typeName(raw)}; ignored.`);
    return { policy, problems, configured };
  }

  for (const [key, rawValue] of Object.entries(raw as Record<string, unknown>)) {
    if (!(key in ManagedConfigSchema.shape)) {
      problems.push(`Unknown policy setting "${key}" (check the spelling; the settings are ${MANAGED_KEYS.join(', ')}); ignored.`);
      continue;
    }
    const name = key as ManagedKey;
    configured.push(name);
    const schema = ManagedConfigSchema.shape[name] as z.ZodType;
    let value: unknown;
    try {
      value = fromRegistryForm(schema, rawValue);
    } catch (e) {
      problems.push(`${name} (${show(rawValue)}) is not valid JSON (${(e as Error).message}); the default is used instead.`);
      continue;
    }
    const result = schema.safeParse(value);
    if (result.success) {
      setKey(policy, name, result.data);
    } else if (schema instanceof z.ZodArray && Array.isArray(value)) {
      // One bad item (a mistyped URL, say) must not drop the good ones.
      const kept: unknown[] = [];
      value.forEach((item, i) => {
        const r = (schema.element as z.ZodType).safeParse(item);
        if (r.success) kept.push(r.data);
        else problems.push(`${name} item ${i + 1} (${show(item)}) ${reason(r.error, item)}; ignored.`);
      });
      setKey(policy, name, kept);
    } else if (name === 'allowOverride' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [severity, allowed] of Object.entries(value)) {
        if (!(SEVERITIES as readonly string[]).includes(severity))
          problems.push(`allowOverride has no severity "${severity}" (expected ${SEVERITIES.join(', ')}); ignored.`);
        else if (typeof allowed !== 'boolean')
          problems.push(`allowOverride.${severity} (${show(allowed)}) should be true or false, not ${typeName(allowed)}; ignored.`);
        else policy.allowOverride[severity as Severity] = allowed;
      }
    } else {
      problems.push(`${name} (${show(value)}) ${reason(result.error, value)}; the default is used instead.`);
    }
  }

  // Values zod accepted, brought to the form the rest of ReplyGuard uses.
  policy.allowOverride = { ...DEFAULT_POLICY.allowOverride, ...dropUndefined(policy.allowOverride) };
  policy.siteAllowlist = policy.siteAllowlist.map((s) => normaliseSitePattern(s)!);
  policy.siteBlocklist = policy.siteBlocklist.map((s) => normaliseSitePattern(s)!);
  policy.packUrls = [...new Set(policy.packUrls)];
  policy.packPublicKeys = [...new Set(policy.packPublicKeys.map((k) => k.trim()))];
  policy.inlinePacks = policy.inlinePacks.flatMap((p, i) => {
    if (typeof p !== 'string') return [p];
    try {
      return [JSON.parse(p) as unknown];
    } catch (e) {
      problems.push(`inlinePacks item ${i + 1} is not valid JSON (${(e as Error).message}); ignored.`);
      return [];
    }
  });
  return { policy, problems, configured };
}

/**
 * Firefox's Windows Group Policy reader hands 3rdparty values over as the
 * registry holds them: a REG_DWORD is a number (1/0 for true/false), and a
 * list or group written as one REG_SZ value is JSON text. (Chromium converts
 * these itself, using managed_schema.json.) Anything else passes unchanged.
 */
function fromRegistryForm(schema: z.ZodType, value: unknown): unknown {
  if (schema instanceof z.ZodBoolean) return value === 0 || value === 1 ? value === 1 : value;
  if ((schema instanceof z.ZodArray || schema instanceof z.ZodObject) && typeof value === 'string' && /^\s*[[{]/.test(value))
    return fromRegistryForm(schema, JSON.parse(value));
  if (schema instanceof z.ZodObject && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const shape = schema.shape as Record<string, z.ZodType>;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const inner = shape[k] instanceof z.ZodOptional ? (shape[k] as z.ZodOptional<z.ZodType>).unwrap() : shape[k];
        return [k, inner ? fromRegistryForm(inner as z.ZodType, v) : v];
      }),
    );
  }
  return value;
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function hostMatches(host: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) return host === pattern.slice(2) || host.endsWith(pattern.slice(1));
  return host === pattern;
}

/**
 * Whether ReplyGuard runs on a page, as far as the policy decides: off on a
 * blocklisted site; with an allowlist, on only for listed sites, and there
 * the writer cannot switch it off (lockedOn).
 */
export function siteDecision(policy: Pick<ManagedPolicy, 'siteAllowlist' | 'siteBlocklist'>, pageUrl: string): { enabled: boolean; lockedOn: boolean; lockedOff: boolean } {
  let host: string;
  try {
    host = new URL(pageUrl).hostname.toLowerCase();
  } catch {
    return { enabled: false, lockedOn: false, lockedOff: false };
  }
  if (policy.siteBlocklist.some((p) => hostMatches(host, p))) return { enabled: false, lockedOn: false, lockedOff: true };
  if (policy.siteAllowlist.length === 0) return { enabled: true, lockedOn: false, lockedOff: false };
  const listed = policy.siteAllowlist.some((p) => hostMatches(host, p));
  return { enabled: listed, lockedOn: listed, lockedOff: !listed };
}
