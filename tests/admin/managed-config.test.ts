import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  isAllowedPolicyUrl,
  MANAGED_KEYS,
  normaliseSitePattern,
  parseManagedConfig,
  siteDecision,
} from '../../src/admin/managed-config';
import { testKeys } from './helpers';

let key: string;
beforeAll(async () => {
  key = (await testKeys()).publicKey;
});

describe('parseManagedConfig', () => {
  it('no policy: the defaults, no problems, nothing configured', () => {
    for (const raw of [undefined, null, {}]) {
      const r = parseManagedConfig(raw);
      expect(r.policy).toEqual(DEFAULT_POLICY);
      expect(r.problems).toEqual([]);
      expect(r.configured).toEqual([]);
    }
  });

  it('reads every key of a complete, valid policy', () => {
    const pack = { id: 'acme', name: 'Acme', version: '1.0.0', publisher: 'Acme', policy: {}, rules: [] };
    const r = parseManagedConfig({
      packUrls: ['https://packs.example.org/acme.json'],
      packPublicKeys: [key],
      inlinePacks: [JSON.stringify(pack), pack],
      disableBuiltInPack: true,
      allowUserPacks: false,
      allowOverride: { block: false },
      failMode: 'closed',
      siteAllowlist: ['*.twitter.com', 'https://www.linkedin.com/feed/'],
      siteBlocklist: ['intranet.example.org'],
      historyRetentionDays: 30,
      storeFullText: true,
      auditEndpoint: 'https://audit.example.org/events',
      auditPacks: ['acme.trial'],
    });
    expect(r.problems).toEqual([]);
    expect(r.configured).toHaveLength(13);
    expect(r.policy).toEqual({
      packUrls: ['https://packs.example.org/acme.json'],
      packPublicKeys: [key],
      inlinePacks: [pack, pack],
      disableBuiltInPack: true,
      allowUserPacks: false,
      allowOverride: { info: true, warning: true, block: false },
      failMode: 'closed',
      siteAllowlist: ['*.twitter.com', 'www.linkedin.com'],
      siteBlocklist: ['intranet.example.org'],
      historyRetentionDays: 30,
      storeFullText: true,
      auditEndpoint: 'https://audit.example.org/events',
      auditPacks: ['acme.trial'],
    });
  });

  it('a bad value is reported in plain words and the rest of the policy still applies', () => {
    const r = parseManagedConfig({
      failMode: 'sometimes',
      historyRetentionDays: -3,
      storeFullText: 'yes',
      disableBuiltInPack: true,
      auditEndpoint: 'http://audit.example.org/',
    });
    expect(r.policy.disableBuiltInPack).toBe(true);
    expect(r.policy.failMode).toBe('open');
    expect(r.policy.historyRetentionDays).toBe(90);
    expect(r.policy.storeFullText).toBe(false);
    expect(r.policy.auditEndpoint).toBeNull();
    expect(r.problems).toEqual([
      'failMode ("sometimes") should be one of "open", "closed"; the default is used instead.',
      'historyRetentionDays (-3) should be at least 0; the default is used instead.',
      'storeFullText ("yes") should be a boolean, not text; the default is used instead.',
      'auditEndpoint ("http://audit.example.org/") is not an HTTPS address (https://...; plain http is accepted only for 127.0.0.1 or localhost); the default is used instead.',
    ]);
  });

  it('one bad list item does not drop the good ones', () => {
    const r = parseManagedConfig({
      packUrls: ['https://a.example/p.json', 'http://b.example/p.json', 42, 'https://a.example/p.json'],
      packPublicKeys: ['abc', key],
      siteBlocklist: ['good.example', 'not a site'],
      auditPacks: ['Bad Id', 'ok.id'],
    });
    expect(r.policy.packUrls).toEqual(['https://a.example/p.json']);
    expect(r.policy.packPublicKeys).toEqual([key]);
    expect(r.policy.siteBlocklist).toEqual(['good.example']);
    expect(r.policy.auditPacks).toEqual(['ok.id']);
    expect(r.problems).toEqual([
      expect.stringMatching(/^packUrls item 2 \("http:\/\/b\.example\/p\.json"\) is not an HTTPS address .*; ignored\.$/),
      'packUrls item 3 (42) should be a string, not a number; ignored.',
      expect.stringMatching(/^packPublicKeys item 1 \("abc"\) is not a public key \(an Ed25519 public key: 44 characters of base64.*; ignored\.$/),
      'siteBlocklist item 2 ("not a site") is not a site (expected a host name such as example.com or *.example.com); ignored.',
      'auditPacks item 1 ("Bad Id") is not a pack id (lower-case letters, digits, dots, dashes); ignored.',
    ]);
  });

  it('a list given as a single value, unknown keys and unknown severities are reported', () => {
    const r = parseManagedConfig({ packUrls: 'https://a.example/p.json', packURLs: [], allowOverride: { block: false, Warning: false, info: 'no' } });
    expect(r.policy.packUrls).toEqual([]);
    expect(r.policy.allowOverride).toEqual({ info: true, warning: true, block: false });
    expect(r.problems[0]).toBe('packUrls ("https://a.example/p.json") should be a list, not text; the default is used instead.');
    expect(r.problems[1]).toMatch(/^Unknown policy setting "packURLs" \(check the spelling; the settings are packUrls, .*\); ignored\.$/);
    expect(r.problems).toContain('allowOverride has no severity "Warning" (expected info, warning, block); ignored.');
    expect(r.problems).toContain('allowOverride.info ("no") should be true or false, not text; ignored.');
    expect(r.configured).toEqual(['packUrls', 'allowOverride']);
  });

  it('inline packs given as text must be JSON', () => {
    const r = parseManagedConfig({ inlinePacks: ['{"id": "a"}', '{not json', 7] });
    expect(r.policy.inlinePacks).toEqual([{ id: 'a' }]);
    expect(r.problems).toEqual([
      'inlinePacks item 3 (7) should be a pack as JSON text; ignored.',
      expect.stringMatching(/^inlinePacks item 2 is not valid JSON \(.+\); ignored\.$/),
    ]);
  });

  it("accepts Windows registry forms as Firefox's Group Policy reader delivers them (DWORD 1/0, JSON text)", () => {
    const r = parseManagedConfig({
      allowUserPacks: 0,
      storeFullText: 1,
      packUrls: '["https://a.example/p.json", "https://b.example/p.json"]',
      allowOverride: { block: 0, warning: 1 },
      siteBlocklist: '["intranet.example"]',
      historyRetentionDays: 30,
    });
    expect(r.problems).toEqual([]);
    expect(r.policy).toMatchObject({
      allowUserPacks: false,
      storeFullText: true,
      packUrls: ['https://a.example/p.json', 'https://b.example/p.json'],
      allowOverride: { info: true, warning: true, block: false },
      siteBlocklist: ['intranet.example'],
      historyRetentionDays: 30,
    });
    expect(parseManagedConfig({ packUrls: '["https://a.example/p.json"' }).problems).toEqual([
      expect.stringMatching(/^packUrls \("\[\\"https:.*"\) is not valid JSON \(.+\); the default is used instead\.$/),
    ]);
    // Only 1 and 0 stand for true and false.
    expect(parseManagedConfig({ allowUserPacks: 2 }).problems).toEqual(['allowUserPacks (2) should be a boolean, not a number; the default is used instead.']);
  });

  it('a policy that is not an object is reported, not thrown', () => {
    expect(parseManagedConfig('packUrls=x').problems).toEqual(['The policy should be an object of settings, not text; ignored.']);
    expect(parseManagedConfig([1]).policy).toEqual(DEFAULT_POLICY);
  });

  it('never shares state with the defaults', () => {
    const a = parseManagedConfig({});
    a.policy.packUrls.push('https://x.example/');
    a.policy.allowOverride.block = false;
    expect(parseManagedConfig({}).policy).toEqual(DEFAULT_POLICY);
  });

  it('knows every key the issue lists', () => {
    for (const k of ['packUrls', 'packPublicKeys', 'inlinePacks', 'disableBuiltInPack', 'allowUserPacks', 'allowOverride', 'failMode', 'siteAllowlist', 'siteBlocklist', 'historyRetentionDays', 'storeFullText', 'auditEndpoint'])
      expect(MANAGED_KEYS).toContain(k);
  });
});

describe('URLs and sites', () => {
  it('accepts HTTPS anywhere and plain http only on this machine', () => {
    expect(isAllowedPolicyUrl('https://packs.example.org/a.json')).toBe(true);
    expect(isAllowedPolicyUrl('http://127.0.0.1:8080/a.json')).toBe(true);
    expect(isAllowedPolicyUrl('http://localhost/a.json')).toBe(true);
    expect(isAllowedPolicyUrl('http://[::1]:9/a.json')).toBe(true);
    expect(isAllowedPolicyUrl('http://packs.example.org/a.json')).toBe(false);
    expect(isAllowedPolicyUrl('http://127.0.0.1.evil.example/a.json')).toBe(false);
    expect(isAllowedPolicyUrl('ftp://packs.example.org/a.json')).toBe(false);
    expect(isAllowedPolicyUrl('https://user:pw@packs.example.org/a.json')).toBe(false);
    expect(isAllowedPolicyUrl('packs.example.org/a.json')).toBe(false);
  });

  it('normalises site patterns', () => {
    expect(normaliseSitePattern(' Example.COM ')).toBe('example.com');
    expect(normaliseSitePattern('*.example.com')).toBe('*.example.com');
    expect(normaliseSitePattern('https://www.example.com/path?q=1')).toBe('www.example.com');
    expect(normaliseSitePattern('*example.com')).toBeNull();
    expect(normaliseSitePattern('exa mple.com')).toBeNull();
  });

  it('siteDecision: the blocklist wins; an allowlist limits ReplyGuard to its sites and locks them on', () => {
    const none = { siteAllowlist: [], siteBlocklist: [] };
    expect(siteDecision(none, 'https://forum.example/')).toEqual({ enabled: true, lockedOn: false, lockedOff: false });
    const p = { siteAllowlist: ['*.example.com', 'x.com'], siteBlocklist: ['intranet.example.com'] };
    expect(siteDecision(p, 'https://example.com/a')).toEqual({ enabled: true, lockedOn: true, lockedOff: false });
    expect(siteDecision(p, 'https://blog.example.com/a')).toMatchObject({ enabled: true, lockedOn: true });
    expect(siteDecision(p, 'https://intranet.example.com/')).toEqual({ enabled: false, lockedOn: false, lockedOff: true });
    expect(siteDecision(p, 'https://www.x.com/')).toEqual({ enabled: false, lockedOn: false, lockedOff: true });
    expect(siteDecision(p, 'https://notexample.com/')).toMatchObject({ enabled: false });
    expect(siteDecision(p, 'not a url')).toMatchObject({ enabled: false });
  });
});
