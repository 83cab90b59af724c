import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeBase64,
  importPrivateKey,
  isPublicKeyText,
  keyId,
  publicKeyOf,
  SigningKeyError,
  verifySignature,
} from '../../src/admin/signature';
import { testKeys, type TestKeys } from './helpers';

const PACK = new TextEncoder().encode('{"id":"acme","version":"1.0.0","rules":[]}\n');

let alice: TestKeys;
let bob: TestKeys;
let goodSig: string;

beforeAll(async () => {
  alice = await testKeys();
  bob = await testKeys();
  goodSig = await alice.sign(PACK);
});

describe('key and signature formats', () => {
  it('public keys are 44 base64 characters (32 bytes); signatures 88 (64 bytes)', () => {
    expect(alice.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(isPublicKeyText(alice.publicKey)).toBe(true);
    expect(goodSig).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(decodeBase64(goodSig)).toHaveLength(64);
    expect(alice.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
  });

  it('rejects text that is not a 32-byte key', () => {
    expect(isPublicKeyText(alice.publicKey.slice(0, 40))).toBe(false);
    expect(isPublicKeyText('not a key at all')).toBe(false);
    expect(isPublicKeyText(goodSig)).toBe(false); // 64 bytes
    expect(isPublicKeyText(`${alice.publicKey}\n`)).toBe(true); // a trailing newline from a copied file is fine
  });

  it('derives the public key from the private key; key ids are stable and distinct', async () => {
    expect(await publicKeyOf(await importPrivateKey(alice.privateKeyPem))).toBe(alice.publicKey);
    expect(await keyId(alice.publicKey)).toMatch(/^[0-9a-f]{8}$/);
    expect(await keyId(alice.publicKey)).toBe(await keyId(alice.publicKey));
    expect(await keyId(alice.publicKey)).not.toBe(await keyId(bob.publicKey));
  });

  it('refuses a private key file that is not an Ed25519 PKCS#8 PEM', async () => {
    await expect(importPrivateKey('hello')).rejects.toThrow(SigningKeyError);
    await expect(importPrivateKey(alice.publicKey)).rejects.toThrow(/BEGIN PRIVATE KEY/);
    const ecdsa = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign'])) as CryptoKeyPair;
    const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', ecdsa.privateKey)).toString('base64');
    await expect(importPrivateKey(`-----BEGIN PRIVATE KEY-----\n${der}\n-----END PRIVATE KEY-----\n`)).rejects.toThrow(/another kind of key/);
  });
});

describe('verifySignature', () => {
  it('accepts a good signature and names the key that made it', async () => {
    expect(await verifySignature(PACK, goodSig, [alice.publicKey])).toEqual({ ok: true, keyId: await keyId(alice.publicKey) });
    // Any one trusted key is enough, in any order; a trailing newline in the .sig file is fine.
    expect(await verifySignature(PACK, `${goodSig}\n`, [bob.publicKey, alice.publicKey])).toMatchObject({ ok: true });
  });

  it('refuses the pack after one byte changed', async () => {
    for (const index of [0, 10, PACK.length - 1]) {
      const tampered = PACK.slice();
      tampered[index]! ^= 0x01;
      const r = await verifySignature(tampered, goodSig, [alice.publicKey]);
      expect(r).toEqual({ ok: false, problem: expect.stringMatching(/^signature does not match/) });
    }
  });

  it('refuses a signature made with a key that is not trusted', async () => {
    const r = await verifySignature(PACK, await bob.sign(PACK), [alice.publicKey]);
    expect(r).toEqual({ ok: false, problem: expect.stringMatching(/^signature does not match .*not in packPublicKeys/) });
  });

  it('refuses a truncated signature, a truncated pack and a signature with a flipped bit', async () => {
    const short = await verifySignature(PACK, goodSig.slice(0, 60), [alice.publicKey]);
    expect(short).toEqual({ ok: false, problem: expect.stringMatching(/^the signature is damaged/) });
    const cut = await verifySignature(PACK.slice(0, PACK.length - 2), goodSig, [alice.publicKey]);
    expect(cut.ok).toBe(false);
    const sig = decodeBase64(goodSig)!;
    sig[5]! ^= 0x80;
    const flipped = await verifySignature(PACK, Buffer.from(sig).toString('base64'), [alice.publicKey]);
    expect(flipped).toMatchObject({ ok: false, problem: expect.stringMatching(/^signature does not match/) });
  });

  it('refuses a missing or empty signature, and says when no key is trusted', async () => {
    for (const missing of [null, undefined, '', '  \n']) {
      expect(await verifySignature(PACK, missing, [alice.publicKey])).toEqual({ ok: false, problem: 'the pack has no signature' });
    }
    expect(await verifySignature(PACK, 'zz!!', [alice.publicKey])).toMatchObject({ problem: expect.stringMatching(/not base64/) });
    expect(await verifySignature(PACK, goodSig, [])).toEqual({ ok: false, problem: 'no trusted signing key is set (packPublicKeys is empty)' });
    // A malformed key in the list is skipped, not fatal.
    expect(await verifySignature(PACK, goodSig, ['nonsense', alice.publicKey])).toMatchObject({ ok: true });
  });

  it('interoperates with OpenSSL: a signature made by openssl with the keygen PEM verifies', async (ctx) => {
    let version = '';
    try {
      version = execFileSync('openssl', ['version'], { encoding: 'utf8' });
    } catch {
      ctx.skip(); // documented path only; OpenSSL is not a dependency
    }
    expect(version).toMatch(/OpenSSL/);
    const dir = mkdtempSync(join(tmpdir(), 'rg-sig-'));
    writeFileSync(join(dir, 'key.pem'), alice.privateKeyPem);
    writeFileSync(join(dir, 'pack.json'), PACK);
    execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', join(dir, 'key.pem'), '-rawin', '-in', join(dir, 'pack.json'), '-out', join(dir, 'sig.bin')]);
    const sig = readFileSync(join(dir, 'sig.bin')).toString('base64');
    expect(await verifySignature(PACK, sig, [alice.publicKey])).toMatchObject({ ok: true });
    // And the raw public key extracted by openssl is the same text keygen prints.
    const der = execFileSync('openssl', ['pkey', '-in', join(dir, 'key.pem'), '-pubout', '-outform', 'DER']);
    expect(der.subarray(der.length - 32).toString('base64')).toBe(alice.publicKey);
  });
});
