/**
 * replyguard pack keygen / sign / verify, spawned for real; and the round trip an administrator
 * makes: a pack signed by the CLI, served over HTTP, is accepted by the extension's updater.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { updateRemotePacks } from '../../src/admin/remote-packs';
import { isPublicKeyText, verifySignature } from '../../src/admin/signature';
import { loadPackSource } from '../../src/packs/source';
import { memoryStore, startServer, type TestServer } from '../admin/helpers';
import { cli, tempDir, writeFixturePack } from './helpers';

vi.setConfig({ testTimeout: 60_000 });

let dir: string;
let source: string;
let keyPrefix: string;
let publicKey: string;

beforeAll(async () => {
  dir = tempDir('replyguard-sign-');
  source = writeFixturePack(dir);
  keyPrefix = join(dir, 'keys', 'acme');
  const r = await cli(['pack', 'keygen', '--out', keyPrefix]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  publicKey = readFileSync(`${keyPrefix}.pub`, 'utf8').trim();
});

describe('replyguard pack keygen', () => {
  it('writes a private PEM (owner-only) and a public key, and prints the key for the policy', async () => {
    const pem = readFileSync(`${keyPrefix}.key`, 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(statSync(`${keyPrefix}.key`).mode & 0o777).toBe(0o600);
    expect(isPublicKeyText(publicKey)).toBe(true);
    const again = await cli(['pack', 'keygen', '--out', join(dir, 'keys', 'second')]);
    expect(again.code).toBe(0);
    const lines = again.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${join(dir, 'keys', 'second')}.key: private signing key (keep it secret; only "replyguard pack sign" needs it)`);
    expect(lines[1]).toMatch(/^.*second\.pub: public key [0-9a-f]{8}, for the packPublicKeys policy:$/);
    expect(lines[2]).toBe(readFileSync(join(dir, 'keys', 'second.pub'), 'utf8').trim());
    expect(lines[2]).not.toBe(publicKey);
  });

  it('never overwrites a key', async () => {
    const before = readFileSync(`${keyPrefix}.key`, 'utf8');
    const r = await cli(['pack', 'keygen', '--out', keyPrefix]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`replyguard: ${keyPrefix}.key already exists; choose another --out PREFIX (a key is never overwritten)\n`);
    expect(readFileSync(`${keyPrefix}.key`, 'utf8')).toBe(before);
  });
});

describe('replyguard pack sign / verify', () => {
  it('signs the built pack: OUT.json holds the pack with defaults filled in, OUT.json.sig verifies over its exact bytes', async () => {
    const out = join(dir, 'site', 'acme.json');
    const r = await cli(['pack', 'sign', source, '--key', `${keyPrefix}.key`, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: signed pack "acme\\.test" 1\\.2\\.3 \\(4 rules\\) with key [0-9a-f]{8}; signature in .*acme\\.json\\.sig\\n$`));
    const built = JSON.parse(readFileSync(out, 'utf8')) as { id: string; rules: Array<{ mode: string }> };
    expect(built.id).toBe('acme.test');
    expect(built.rules.every((rule) => rule.mode === 'enforce' || rule.mode === 'audit')).toBe(true);
    const sig = readFileSync(`${out}.sig`, 'utf8');
    expect(sig).toMatch(/^[A-Za-z0-9+/]{86}==\n$/);
    expect(await verifySignature(new Uint8Array(readFileSync(out)), sig, [publicKey])).toMatchObject({ ok: true });

    const v = await cli(['pack', 'verify', out, '--pub', `${keyPrefix}.pub`]);
    expect(v).toMatchObject({ code: 0, stderr: '' });
    expect(v.stdout).toMatch(/: signature good \(key [0-9a-f]{8}\); pack "acme\.test" 1\.2\.3 is valid \(4 rules\)\n$/);
  });

  it('without -o writes <pack id>.json in the current directory', async () => {
    const cwd = tempDir('replyguard-sign-cwd-');
    const r = await cli(['pack', 'sign', source, '--key', `${keyPrefix}.key`], { cwd });
    expect(r.code).toBe(0);
    expect(existsSync(join(cwd, 'acme.test.json'))).toBe(true);
    expect(existsSync(join(cwd, 'acme.test.json.sig'))).toBe(true);
  });

  it('verify refuses a changed byte, the wrong key and a missing signature, each in one line', async () => {
    const out = join(dir, 'tamper', 'acme.json');
    await cli(['pack', 'sign', source, '--key', `${keyPrefix}.key`, '-o', out]);
    const other = join(dir, 'keys', 'other');
    await cli(['pack', 'keygen', '--out', other]);

    const wrongKey = await cli(['pack', 'verify', out, '--pub', `${other}.pub`]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^replyguard: .*acme\.json: signature does not match \(.*\)\n$/);
    // Trusting both keys: one match is enough. The key may also be given as text.
    const both = await cli(['pack', 'verify', out, '--pub', `${other}.pub`, '--pub', publicKey]);
    expect(both.code).toBe(0);

    writeFileSync(out, readFileSync(out, 'utf8').replace('project bluebird', 'project bluebirx'));
    const tampered = await cli(['pack', 'verify', out, '--pub', `${keyPrefix}.pub`]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/^replyguard: .*acme\.json: signature does not match/);

    const missing = await cli(['pack', 'verify', out, '--pub', `${keyPrefix}.pub`, '--sig', join(dir, 'nope.sig')]);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe(`replyguard: ${join(dir, 'nope.sig')}: no such file (the signature "replyguard pack sign" writes beside the pack)\n`);

    writeFileSync(join(dir, 'short.sig'), 'AAAA\n');
    const truncated = await cli(['pack', 'verify', out, '--pub', `${keyPrefix}.pub`, '--sig', join(dir, 'short.sig')]);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/^replyguard: .*: the signature is damaged \(expected 64 bytes in base64, got 3 bytes\)\n$/);
  });

  it('sign refuses an invalid pack, naming the rule and field, and writes nothing', async () => {
    const badSource = join(dir, 'bad.json');
    const data = loadPackSource(source) as { rules: Array<Record<string, unknown>> };
    data.rules[0]!.severity = 'urgent';
    writeFileSync(badSource, JSON.stringify(data));
    // sign validates first: an invalid pack is never signed.
    const s = await cli(['pack', 'sign', badSource, '--key', `${keyPrefix}.key`, '-o', join(dir, 'bad-out.json')]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/^replyguard: .*bad\.json: rule "acme\.codename", field "severity": expected one of: "info", "warning", "block"\n$/);
    expect(existsSync(join(dir, 'bad-out.json'))).toBe(false);
  });

  it('usage errors are one clear line each (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['pack', 'sign', source], /^replyguard: pack sign needs --key KEY .*\(see: replyguard pack --help\)$/],
      [['pack', 'sign', source, '--key', join(dir, 'none.key')], /^replyguard: .*none\.key: no such file$/],
      [['pack', 'sign', source, '--key', `${keyPrefix}.pub`], /^replyguard: .*acme\.pub: not an Ed25519 private key \(expected a PEM file starting "-----BEGIN PRIVATE KEY-----"\)$/],
      [['pack', 'verify', source], /^replyguard: pack verify needs --pub KEY .*\(see: replyguard pack --help\)$/],
      [['pack', 'verify', source, '--pub', 'abc'], /^replyguard: --pub "abc": not a public key \(expected an Ed25519 public key: 44 characters of base64/],
      [['pack', 'verify', source, '--pub', `${keyPrefix}.key`], /^replyguard: .*acme\.key: not a public key/],
      [['pack', 'keygen', 'extra'], /^replyguard: unexpected argument "extra" \(pack keygen takes --out PREFIX\)/],
      [['pack', 'validate', source, '--key', 'k'], /^replyguard: --key applies to pack sign only/],
      [['pack', 'frobnicate', source], /^replyguard: unknown action "frobnicate" \(expected validate, build, keygen, sign, verify\)/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, cases[i]![0].join(' ')).toHaveLength(1);
      expect(lines[0]).toMatch(cases[i]![1]);
    });
  });

  it('help lists the new actions', async () => {
    const r = await cli(['pack', '--help']);
    for (const marker of ['pack keygen [--out PREFIX]', 'pack sign FILE --key KEY', 'pack verify PACK.json --pub KEY']) expect(r.stdout).toContain(marker);
    const main = await cli(['--help']);
    expect(main.stdout).toContain('pack sign');
  });
});

describe('round trip: CLI-signed pack, served over HTTP, accepted by the extension updater', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('accepts the signed pack and refuses it once a byte changes on the server', async () => {
    const out = join(dir, 'served', 'acme.json');
    expect((await cli(['pack', 'sign', source, '--key', `${keyPrefix}.key`, '-o', out])).code).toBe(0);
    const bytes = readFileSync(out);
    server.set('/acme.json', { body: new Uint8Array(bytes), etag: '"1"' });
    server.set('/acme.json.sig', { body: readFileSync(`${out}.sig`, 'utf8') });
    const store = memoryStore();
    const ok = await updateRemotePacks({ urls: [server.url('/acme.json')], trustedKeys: [publicKey], store });
    expect(ok.states[0]).toMatchObject({ ok: true, message: 'Updated to "Acme test pack" 1.2.3.' });
    expect(ok.packs[0]!.pack.rules).toHaveLength(4);

    const changed = new Uint8Array(bytes);
    changed[changed.length - 3] = 0x20;
    server.set('/acme.json', { body: changed, etag: '"2"' });
    const refused = await updateRemotePacks({ urls: [server.url('/acme.json')], trustedKeys: [publicKey], store });
    expect(refused.states[0]!.message).toMatch(/^Policy update failed: signature does not match .*Still using "Acme test pack" 1\.2\.3\.$/);
  });
});
