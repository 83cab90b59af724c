/**
 * Detached Ed25519 signatures over the exact bytes of a pack file, through
 * WebCrypto (crypto.subtle), so the same code runs in the extension and in the
 * CLI. The signature covers the bytes as published: re-indenting or
 * re-encoding the file after signing breaks it, which is the point.
 *
 * Formats (chosen to paste into a policy and to read in a terminal):
 * - public key: the 32-byte raw Ed25519 key in standard base64 (44 characters);
 * - signature (the .sig file): the 64-byte signature in standard base64
 *   (88 characters), surrounding whitespace ignored;
 * - private key: PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), the form
 *   `openssl genpkey -algorithm ed25519` writes, so OpenSSL can sign too.
 */

export const PUBLIC_KEY_FORMAT = 'an Ed25519 public key: 44 characters of base64, as written by "replyguard pack keygen"';

const ALGORITHM = 'Ed25519';
const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes strict standard base64 (padding required); null if the text is not base64. */
export function decodeBase64(text: string): Uint8Array | null {
  const clean = text.trim();
  if (!BASE64.test(clean)) return null;
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** True for text in the public key format (base64 of exactly 32 bytes). */
export function isPublicKeyText(text: string): boolean {
  return decodeBase64(text)?.length === PUBLIC_KEY_BYTES;
}

/** A short, stable name for a key in status messages: the first 8 hex digits of its SHA-256. */
export async function keyId(publicKey: string): Promise<string> {
  const raw = decodeBase64(publicKey);
  if (!raw) return 'invalid-key';
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', raw as BufferSource));
  return [...digest.slice(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Browsers without Ed25519 in WebCrypto (Chrome/Edge before 137, Firefox before 129) throw NotSupportedError. */
function unsupported(e: unknown): boolean {
  return e instanceof Error && (e.name === 'NotSupportedError' || /not supported|unrecognized|unknown algorithm/i.test(e.message));
}

export const UNSUPPORTED_MESSAGE = 'this browser cannot check Ed25519 signatures (it needs Chrome or Edge 137+, or Firefox 129+)';

export type SignatureCheck = { ok: true; keyId: string } | { ok: false; problem: string };

/**
 * Checks a detached signature against every trusted key; valid if one of them
 * verifies it. Never throws: the problem comes back in plain words.
 */
export async function verifySignature(
  bytes: Uint8Array,
  signature: string | null | undefined,
  trustedKeys: readonly string[],
): Promise<SignatureCheck> {
  if (signature === null || signature === undefined || signature.trim() === '')
    return { ok: false, problem: 'the pack has no signature' };
  const sig = decodeBase64(signature);
  if (!sig || sig.length !== SIGNATURE_BYTES)
    return { ok: false, problem: `the signature is damaged (expected ${SIGNATURE_BYTES} bytes in base64, ${sig ? `got ${sig.length} bytes` : 'got something that is not base64'})` };
  const keys = trustedKeys.filter(isPublicKeyText);
  if (keys.length === 0) return { ok: false, problem: 'no trusted signing key is set (packPublicKeys is empty)' };
  for (const key of keys) {
    let cryptoKey: CryptoKey;
    try {
      cryptoKey = await crypto.subtle.importKey('raw', decodeBase64(key)! as BufferSource, { name: ALGORITHM }, false, ['verify']);
    } catch (e) {
      if (unsupported(e)) return { ok: false, problem: UNSUPPORTED_MESSAGE };
      continue; // not a point on the curve: this key can verify nothing
    }
    if (await crypto.subtle.verify(ALGORITHM, cryptoKey, sig as BufferSource, bytes as BufferSource)) return { ok: true, keyId: await keyId(key) };
  }
  return {
    ok: false,
    problem: 'signature does not match (the pack was changed after it was signed, or signed with a key that is not in packPublicKeys)',
  };
}

const PEM_LABEL = 'PRIVATE KEY';

function pemBody(pem: string): Uint8Array | null {
  const m = new RegExp(`-----BEGIN ${PEM_LABEL}-----([A-Za-z0-9+/=\\s]+)-----END ${PEM_LABEL}-----`).exec(pem);
  return m ? decodeBase64(m[1]!.replace(/\s+/g, '')) : null;
}

function toPem(der: Uint8Array): string {
  const lines = encodeBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${PEM_LABEL}-----\n${lines.join('\n')}\n-----END ${PEM_LABEL}-----\n`;
}

export class SigningKeyError extends Error {}

/** Imports a PKCS#8 PEM Ed25519 private key; throws SigningKeyError in plain words. */
export async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = pemBody(pem);
  if (!der) throw new SigningKeyError('not an Ed25519 private key (expected a PEM file starting "-----BEGIN PRIVATE KEY-----")');
  try {
    return await crypto.subtle.importKey('pkcs8', der as BufferSource, { name: ALGORITHM }, true, ['sign']);
  } catch {
    throw new SigningKeyError('not an Ed25519 private key (the PEM holds another kind of key, or it is damaged)');
  }
}

/** Signs the exact bytes; returns the signature in the .sig format (base64, no newline). */
export async function signBytes(bytes: Uint8Array, privateKey: CryptoKey): Promise<string> {
  return encodeBase64(new Uint8Array(await crypto.subtle.sign(ALGORITHM, privateKey, bytes as BufferSource)));
}

/** The public key (policy format) belonging to a private key. */
export async function publicKeyOf(privateKey: CryptoKey): Promise<string> {
  // WebCrypto has no direct private -> public step; the JWK of an OKP private key carries x, the public key.
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  if (!jwk.x) throw new SigningKeyError('the private key cannot be exported');
  return encodeBase64(base64UrlDecode(jwk.x));
}

function base64UrlDecode(text: string): Uint8Array {
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  return decodeBase64(std + '='.repeat((4 - (std.length % 4)) % 4))!;
}

/** A new signing key pair: the public key in policy format, the private key as PKCS#8 PEM. */
export async function generateSigningKeys(): Promise<{ publicKey: string; privateKeyPem: string }> {
  const pair = (await crypto.subtle.generateKey({ name: ALGORITHM }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  return { publicKey: encodeBase64(raw), privateKeyPem: toPem(pkcs8) };
}
