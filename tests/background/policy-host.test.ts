import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPackSet, type PackSet } from '../../src/admin/pack-set';
import { createPolicyHost, packView } from '../../src/background/policy-host';
import { POLICY_MESSAGE, type MessageSender, type PolicyResponse } from '../../src/background/protocol';
import { parsePack } from '../../src/engine/compile';
import type { PackInput } from '../../src/engine/schema';
import { makePack } from '../admin/helpers';

const builtin = JSON.parse(readFileSync(join(__dirname, '../../rules/generated/builtin.json'), 'utf8')) as PackInput & {
  rules: Array<{ id: string; clause: string; kind: string; a?: string; b?: string; standalone?: boolean }>;
};

const PAGE: MessageSender = { url: undefined, fromExtension: true };
const CONTENT_SCRIPT: MessageSender = { url: 'https://forum.example.org/thread/1', tabId: 3, frameId: 0, fromExtension: false };

/** An organisation pack with a policy URL, one clause with its own URL, a near rule and an audit rule. */
function orgPack(): PackInput {
  const base = makePack('org.social', '2.1.0', [
    { id: 'org.codename', terms: ['Project Falcon'] },
    { id: 'org.audit-only', terms: ['reorg'], mode: 'audit', severity: 'block' },
  ]);
  return {
    ...base,
    publisher: 'Example Council',
    description: 'How Example Council staff reply online.',
    policy: {
      title: 'Example Council social media policy',
      version: '7',
      url: 'https://intranet.example.org/policy',
      clauses: [
        { id: 'c1', title: 'Clause one', summary: 'Keep it clean.', source: 'Handbook', anchor: 'section-1' },
        { id: 'c2', title: 'Clause two', summary: 'No rumours.', source: 'Handbook', url: 'https://intranet.example.org/rumours' },
        { id: 'c3', title: 'Clause three', summary: 'Has no rules yet.', source: 'Handbook' },
      ],
    },
    rules: [
      ...base.rules,
      {
        id: 'org.rumour-word',
        kind: 'phrase',
        category: 'unannounced',
        clause: 'c2',
        terms: ['rumour'],
        standalone: false,
        message: '"{match}" is a rumour word.',
        examples: { flag: ['A rumour.', 'Rumours!'], pass: ['Nothing.', 'Fine.'] },
      },
      {
        id: 'org.rumour-about-codename',
        kind: 'near',
        category: 'unannounced',
        clause: 'c2',
        a: 'org.rumour-word',
        b: 'org.codename',
        within: 6,
        message: 'This spreads a rumour about "{match}".',
        suggestion: 'Wait for the announcement.',
        fix: { kind: 'replace', text: 'the project' },
        examples: { flag: ['The rumour about Project Falcon is true.', 'Project Falcon rumour confirmed.'], pass: ['Project Falcon.', 'A rumour.'] },
      },
    ],
  } as PackInput;
}

async function ask(set: Pick<PackSet, 'packs' | 'problems'>, sender = PAGE, message: unknown = { type: POLICY_MESSAGE }) {
  const host = createPolicyHost(async () => set);
  return (await host(message, sender)) as PolicyResponse | undefined;
}

function resolved(user: PackInput[] = [], policy: Partial<Parameters<typeof buildPackSet>[0]['policy']> = {}): PackSet {
  return buildPackSet({
    admin: [{ origin: 'https://packs.example.org/social.json', data: orgPack() }],
    builtin,
    user: user.map((data, i) => ({ origin: `my-pack-${i + 1}.json`, data })),
    policy: { disableBuiltInPack: false, allowUserPacks: true, auditPacks: [], ...policy },
  });
}

describe('policy host', () => {
  it('leaves other messages to other handlers', () => {
    const host = createPolicyHost(async () => resolved());
    expect(host({ type: 'check', text: 'hello' }, PAGE)).toBeUndefined();
    expect(host('policy', PAGE)).toBeUndefined();
    expect(host(null, PAGE)).toBeUndefined();
  });

  it('refuses content scripts: only extension pages get the policy', async () => {
    let asked = false;
    const host = createPolicyHost(async () => {
      asked = true;
      return resolved();
    });
    expect(await host({ type: POLICY_MESSAGE }, CONTENT_SCRIPT)).toEqual({
      ok: false,
      error: "only ReplyGuard's own pages can ask for the policy",
    });
    expect(asked).toBe(false);
  });

  it('answers with every active pack in precedence order, with source, lock and metadata', async () => {
    const reply = await ask(resolved());
    if (!reply?.ok) throw new Error(`expected packs, got ${JSON.stringify(reply)}`);
    expect(reply.packs.map((p) => [p.id, p.source, p.locked, p.audit])).toEqual([
      ['org.social', 'admin', true, false],
      [builtin.id, 'builtin', false, false],
    ]);
    const [org, built] = reply.packs;
    expect(org).toMatchObject({
      name: 'Pack org.social',
      version: '2.1.0',
      publisher: 'Example Council',
      description: 'How Example Council staff reply online.',
      origin: 'https://packs.example.org/social.json',
      policy: { title: 'Example Council social media policy', version: '7', url: 'https://intranet.example.org/policy' },
    });
    expect(built).toMatchObject({ name: builtin.name, version: builtin.version, publisher: builtin.publisher, origin: 'built-in' });
    expect(built!.policy.url).toBeNull();
    expect(reply.problems).toEqual([]);
  });

  it('gives one entry per clause, each with the rules that enforce it, in pack order', async () => {
    const reply = await ask(resolved());
    if (!reply?.ok) throw new Error('expected packs');
    const built = reply.packs[1]!;
    expect(built.policy.clauses.map((c) => c.id)).toEqual(builtin.policy.clauses.map((c) => c.id));
    for (const clause of built.policy.clauses) {
      expect(clause.rules.map((r) => r.id), clause.id).toEqual(builtin.rules.filter((r) => r.clause === clause.id).map((r) => r.id));
    }
    const total = built.policy.clauses.reduce((n, c) => n + c.rules.length, 0);
    expect(total).toBe(builtin.rules.length);
    // Clause text as the pack wrote it.
    const legal = built.policy.clauses.find((c) => c.id === 'legal-proceedings')!;
    const source = builtin.policy.clauses.find((c) => c.id === 'legal-proceedings')!;
    expect(legal).toMatchObject({ title: source.title, summary: source.summary, source: source.source, url: null });
  });

  it('says which rules allow no "Post anyway" (the pack per severity, or the rule itself)', () => {
    const strict = parsePack({
      ...makePack('org.strict', '1.0.0', [
        { id: 'org.blocked', terms: ['heron'], severity: 'block' },
        { id: 'org.warned', terms: ['kite'], severity: 'warning' },
        { id: 'org.excused', terms: ['wren'], severity: 'block' },
      ]),
      allowOverride: { block: false },
    });
    (strict.rules.find((r) => r.id === 'org.excused') as { allowOverride?: boolean }).allowOverride = true;
    const view = packView({ source: 'admin', origin: 'inline pack 1', locked: true, audit: false, pack: strict, shadowed: [] });
    const rules = view.policy.clauses.flatMap((c) => c.rules).map((r) => [r.id, r.allowOverride]);
    expect(rules).toEqual([
      ['org.blocked', false],
      ['org.warned', true],
      ['org.excused', true],
    ]);
  });

  it('carries each rule as plain data: message, suggestion, fix, mode, examples, near parts', async () => {
    const reply = await ask(resolved());
    if (!reply?.ok) throw new Error('expected packs');
    // Plain data: survives structured cloning / JSON unchanged (no RegExp, no functions).
    expect(JSON.parse(JSON.stringify(reply))).toEqual(reply);
    const org = reply.packs[0]!;
    const [c1, c2, c3] = org.policy.clauses;
    expect(c1!.rules.map((r) => [r.id, r.severity, r.mode])).toEqual([
      ['org.codename', 'warning', 'enforce'],
      ['org.audit-only', 'block', 'audit'],
    ]);
    expect(c1!.rules[0]!.examples).toEqual({ flag: ['About Project Falcon today.', 'Project Falcon!'], pass: ['Nothing here.', 'All fine.'] });
    expect(c2!.rules).toEqual([
      {
        id: 'org.rumour-word',
        kind: 'phrase',
        category: 'unannounced',
        severity: 'warning',
        mode: 'enforce',
        allowOverride: true,
        message: '"{match}" is a rumour word.',
        standalone: false,
        usedBy: ['org.rumour-about-codename'],
        examples: { flag: ['A rumour.', 'Rumours!'], pass: ['Nothing.', 'Fine.'] },
      },
      {
        id: 'org.rumour-about-codename',
        kind: 'near',
        category: 'unannounced',
        severity: 'warning',
        mode: 'enforce',
        allowOverride: true,
        message: 'This spreads a rumour about "{match}".',
        suggestion: 'Wait for the announcement.',
        fix: { kind: 'replace', text: 'the project' },
        standalone: true,
        combines: ['org.rumour-word', 'org.codename'],
        usedBy: [],
        examples: { flag: ['The rumour about Project Falcon is true.', 'Project Falcon rumour confirmed.'], pass: ['Project Falcon.', 'A rumour.'] },
      },
    ]);
    // A rule used by a near rule in another clause is still a building block of it.
    expect(c1!.rules[0]!.usedBy).toEqual(['org.rumour-about-codename']);
    expect(c3!.rules).toEqual([]);
  });

  it('links clauses the way findings do: clause url, else the policy url at the anchor or clause id', async () => {
    const set = resolved();
    const reply = await ask(set);
    if (!reply?.ok) throw new Error('expected packs');
    const urls = reply.packs[0]!.policy.clauses.map((c) => c.url);
    expect(urls).toEqual([
      'https://intranet.example.org/policy#section-1',
      'https://intranet.example.org/rumours',
      'https://intranet.example.org/policy#c3',
    ]);
    // The same links the compiled rules give their findings.
    for (const compiled of set.packs[0]!.compiled.rules) {
      expect(reply.packs[0]!.policy.clauses.find((c) => c.id === compiled.clause.id)!.url).toBe(compiled.clause.url);
    }
  });

  it('shows what the checks run with: shadowed rules left out and listed, audit packs in audit mode', async () => {
    // A user pack redefining an organisation rule id: the user's copy is dropped.
    const mine = makePack('mine', '1.0.0', [{ id: 'org.codename', terms: ['falcon'] }, { id: 'mine.own', terms: ['gizmo'] }]);
    const reply = await ask(resolved([mine], { auditPacks: ['org.social'] }));
    if (!reply?.ok) throw new Error('expected packs');
    const user = reply.packs.find((p) => p.id === 'mine')!;
    expect(user).toMatchObject({ source: 'user', origin: 'my-pack-1.json', locked: false, shadowed: ['org.codename'] });
    expect(user.policy.clauses[0]!.rules.map((r) => r.id)).toEqual(['mine.own']);
    const org = reply.packs.find((p) => p.id === 'org.social')!;
    expect(org.audit).toBe(true);
    expect(org.policy.clauses.flatMap((c) => c.rules.map((r) => r.mode))).toEqual(['audit', 'audit', 'audit', 'audit']);
  });

  it('passes on the packs that could not be used', async () => {
    const set = buildPackSet({
      admin: [{ origin: 'https://packs.example.org/broken.json', data: { id: 'broken' } }],
      builtin,
      user: [],
      policy: { disableBuiltInPack: false, allowUserPacks: false, auditPacks: [] },
    });
    const reply = await ask(set);
    if (!reply?.ok) throw new Error('expected packs');
    expect(reply.packs.map((p) => p.id)).toEqual([builtin.id]);
    expect(reply.problems).toHaveLength(1);
    expect(reply.problems[0]).toMatch(/^Organisation pack https:\/\/packs\.example\.org\/broken\.json is not used: /);
  });

  it('answers with a one-line error when the packs cannot be loaded', async () => {
    const host = createPolicyHost(async () => {
      throw new Error('storage is\nunavailable');
    });
    expect(await host({ type: POLICY_MESSAGE }, PAGE)).toEqual({
      ok: false,
      error: 'the policy packs could not be loaded: storage is; unavailable',
    });
  });
});
