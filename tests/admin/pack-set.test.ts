import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/admin/managed-config';
import { auditFindings, buildPackSet, visibleFindings, type PackSetInput } from '../../src/admin/pack-set';
// The decision the content script makes at the submit guard, over findings from a real pack set.
import { overridable as overrideAllowed } from '../../src/content/findings';
import { checkAll } from '../../src/engine/check';
import type { PackInput } from '../../src/engine/schema';
import { makePack } from './helpers';

const policy = (p: Partial<PackSetInput['policy']> = {}): PackSetInput['policy'] => ({
  disableBuiltInPack: DEFAULT_POLICY.disableBuiltInPack,
  allowUserPacks: DEFAULT_POLICY.allowUserPacks,
  auditPacks: [],
  ...p,
});

const admin = makePack('org.policy', '1.0.0', [
  { id: 'shared.rule', terms: ['bluebird'], severity: 'block' },
  { id: 'org.only', terms: ['falcon'] },
]);
const builtin = makePack('replyguard.builtin', '1.0.0', [
  { id: 'shared.rule', terms: ['sparrow'] },
  { id: 'builtin.only', terms: ['heron'] },
]);
const user = makePack('user.mine', '0.1.0', [
  { id: 'shared.rule', terms: ['pigeon'] },
  { id: 'builtin.only', terms: ['crow'] },
  { id: 'user.only', terms: ['robin'] },
]);

const rulesOf = (set: ReturnType<typeof buildPackSet>) => set.packs.map((p) => [p.pack.id, p.pack.rules.map((r) => r.id)]);
const run = (set: ReturnType<typeof buildPackSet>, text: string) => checkAll(set.packs.map((p) => p.compiled), text);

describe('buildPackSet precedence', () => {
  it('orders admin, built-in, user; a rule id defined by a higher source wins', () => {
    const set = buildPackSet({ admin: [{ origin: 'https://p.example/org.json', data: admin }], builtin, user: [{ origin: 'mine.json', data: user }], policy: policy() });
    expect(set.problems).toEqual([]);
    expect(rulesOf(set)).toEqual([
      ['org.policy', ['shared.rule', 'org.only']],
      ['replyguard.builtin', ['builtin.only']],
      ['user.mine', ['user.only']],
    ]);
    expect(set.packs.map((p) => [p.source, p.locked, p.shadowed])).toEqual([
      ['admin', true, []],
      ['builtin', false, ['shared.rule']],
      ['user', false, ['shared.rule', 'builtin.only']],
    ]);
    // The shadowed definitions are gone: only the admin's terms fire for shared.rule.
    const findings = run(set, 'bluebird sparrow pigeon heron crow robin falcon');
    expect(findings.map((f) => `${f.pack}/${f.rule}:${f.excerpt}`)).toEqual([
      'org.policy/shared.rule:bluebird',
      'replyguard.builtin/builtin.only:heron',
      'user.mine/user.only:robin',
      'org.policy/org.only:falcon',
    ]);
    expect(findings[0]!.severity).toBe('block');
  });

  it('the first of two admin packs wins a shared rule id; a repeated pack id is used once', () => {
    const second = makePack('org.second', '1.0.0', [{ id: 'shared.rule', terms: ['owl'] }, { id: 'second.only', terms: ['kite'] }]);
    const set = buildPackSet({
      admin: [{ origin: 'a', data: admin }, { origin: 'b', data: second }, { origin: 'c', data: admin }],
      builtin: null,
      user: [{ origin: 'copy.json', data: { ...admin, rules: [] } }],
      policy: policy(),
    });
    expect(rulesOf(set)).toEqual([
      ['org.policy', ['shared.rule', 'org.only']],
      ['org.second', ['second.only']],
    ]);
    expect(set.skipped).toEqual([
      { source: 'admin', origin: 'c', reason: 'Organisation pack a already provides pack "org.policy"' },
      { source: 'user', origin: 'copy.json', reason: 'Organisation pack a already provides pack "org.policy"' },
    ]);
  });

  it('disableBuiltInPack and allowUserPacks=false leave those packs out, saying why', () => {
    const set = buildPackSet({ admin: [{ origin: 'a', data: admin }], builtin, user: [{ origin: 'mine.json', data: user }], policy: policy({ disableBuiltInPack: true, allowUserPacks: false }) });
    expect(rulesOf(set)).toEqual([['org.policy', ['shared.rule', 'org.only']]]);
    expect(set.skipped).toEqual([
      { source: 'builtin', origin: 'built-in', reason: 'turned off by your organisation' },
      { source: 'user', origin: 'mine.json', reason: 'your organisation does not allow your own packs' },
    ]);
  });

  it('a near rule built on a shadowed rule is dropped with it', () => {
    const lower: PackInput = makePack('user.near', '1.0.0', [{ id: 'shared.rule', terms: ['pigeon'] }, { id: 'user.date', terms: ['tomorrow'] }]);
    lower.rules.push({
      id: 'user.combo',
      kind: 'near',
      category: 'internal-info',
      clause: 'c1',
      a: 'shared.rule',
      b: 'user.date',
      message: 'combo',
      examples: { flag: ['pigeon tomorrow', 'tomorrow pigeon'], pass: ['x', 'y'] },
    } as never);
    const set = buildPackSet({ admin: [{ origin: 'a', data: admin }], builtin: null, user: [{ origin: 'u', data: lower }], policy: policy() });
    expect(set.problems).toEqual([]);
    expect(set.packs[1]!.shadowed.sort()).toEqual(['shared.rule', 'user.combo']);
    expect(set.packs[1]!.pack.rules.map((r) => r.id)).toEqual(['user.date']);
  });

  it('an invalid pack is reported and left out; the others still run', () => {
    const broken = { ...user, rules: [{ id: 'bad', kind: 'regex' }] };
    const set = buildPackSet({ admin: [{ origin: 'inline pack 1', data: { id: 'x' } }], builtin, user: [{ origin: 'broken.json', data: broken }], policy: policy() });
    expect(rulesOf(set)).toEqual([['replyguard.builtin', ['shared.rule', 'builtin.only']]]);
    expect(set.problems).toEqual([
      expect.stringMatching(/^Organisation pack inline pack 1 is not used: field "name": missing .*\(and \d+ more problems\)\.$/),
      expect.stringMatching(/^Your pack broken\.json is not used: rule "bad", field "kind": unknown value "regex"/),
    ]);
  });

  it('a user allowlist cannot silence an admin block rule', () => {
    const allowing = makePack('user.allow', '1.0.0', [{ id: 'user.only', terms: ['robin'] }], {
      allowlist: { terms: ['bluebird'], phones: [], domains: [], emails: [] },
    });
    const set = buildPackSet({ admin: [{ origin: 'a', data: admin }], builtin: null, user: [{ origin: 'u', data: allowing }], policy: policy() });
    expect(run(set, 'bluebird').map((f) => [f.rule, f.severity])).toEqual([['shared.rule', 'block']]);
  });

  it('builds the real built-in pack with an admin pack on top', () => {
    const real = JSON.parse(readFileSync(join(__dirname, '../../rules/generated/builtin.json'), 'utf8')) as PackInput;
    const set = buildPackSet({ admin: [{ origin: 'a', data: admin }], builtin: real, user: [], policy: policy() });
    expect(set.problems).toEqual([]);
    expect(set.packs.map((p) => p.pack.id)).toEqual(['org.policy', real.id]);
    expect(set.packs[1]!.pack.rules.length).toBe(real.rules.length);
  });
});

describe('audit mode', () => {
  it('keeps mode "audit" on findings of audit rules; visibleFindings drops them', () => {
    const pack = makePack('org.trial', '1.0.0', [
      { id: 'trial.quiet', terms: ['bluebird'], mode: 'audit', severity: 'block' },
      { id: 'trial.loud', terms: ['falcon'] },
    ]);
    const set = buildPackSet({ admin: [{ origin: 'a', data: pack }], builtin: null, user: [], policy: policy() });
    const findings = run(set, 'bluebird and falcon');
    expect(findings.map((f) => [f.rule, f.mode])).toEqual([
      ['trial.quiet', 'audit'],
      ['trial.loud', 'enforce'],
    ]);
    expect(visibleFindings(findings).map((f) => f.rule)).toEqual(['trial.loud']);
    expect(auditFindings(findings).map((f) => f.rule)).toEqual(['trial.quiet']);
    // An audit block rule never blocks: only the visible warning counts for the override decision.
    expect(overrideAllowed(findings, { info: true, warning: true, block: false })).toBe(true);
  });

  it('policy auditPacks runs a whole pack in audit mode', () => {
    const set = buildPackSet({ admin: [{ origin: 'a', data: admin }], builtin, user: [], policy: policy({ auditPacks: ['org.policy'] }) });
    expect(set.packs.map((p) => [p.pack.id, p.audit])).toEqual([
      ['org.policy', true],
      ['replyguard.builtin', false],
    ]);
    const findings = run(set, 'bluebird falcon heron');
    expect(findings.map((f) => [f.rule, f.mode])).toEqual([
      ['shared.rule', 'audit'],
      ['org.only', 'audit'],
      ['builtin.only', 'enforce'],
    ]);
    expect(visibleFindings(findings).map((f) => f.rule)).toEqual(['builtin.only']);
    // Still defined by the admin pack: the built-in "sparrow" version stays shadowed.
    expect(run(set, 'sparrow')).toEqual([]);
  });
});

describe('overrideAllowed', () => {
  it('follows the policy\'s allowOverride per severity; info never needs it', () => {
    const set = buildPackSet({ admin: [{ origin: 'a', data: admin }], builtin: null, user: [], policy: policy() });
    const block = run(set, 'bluebird');
    const warning = run(set, 'falcon');
    expect(overrideAllowed(block, { info: true, warning: true, block: false })).toBe(false);
    expect(overrideAllowed(block, { info: true, warning: true, block: true })).toBe(true);
    expect(overrideAllowed(warning, { info: false, warning: false, block: true })).toBe(false);
    expect(overrideAllowed([], { info: false, warning: false, block: false })).toBe(true);
  });

  it('a pack (per severity) or one of its rules can forbid "Post anyway" too; a rule\'s own setting wins', () => {
    const strict = {
      ...admin,
      allowOverride: { block: false },
      rules: [
        ...(admin.rules as Array<Record<string, unknown>>).map((r) => (r.id === 'org.only' ? { ...r, severity: 'block', allowOverride: true } : r)),
      ],
    };
    const set = buildPackSet({ admin: [{ origin: 'a', data: strict }], builtin: null, user: [], policy: policy() });
    const all = { info: true, warning: true, block: true };
    const bluebird = run(set, 'bluebird');
    expect(bluebird.map((f) => [f.severity, f.overridable])).toEqual([['block', false]]);
    expect(overrideAllowed(bluebird, all)).toBe(false);
    const falcon = run(set, 'falcon');
    expect(falcon.map((f) => [f.severity, f.overridable])).toEqual([['block', undefined]]);
    expect(overrideAllowed(falcon, all)).toBe(true);
  });
});
