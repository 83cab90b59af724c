/**
 * The extension's fixed identities, so enterprise policies can name it.
 *
 * Chromium derives an extension's id from its public key: the first 128 bits
 * of SHA-256 over the DER (SubjectPublicKeyInfo) key, each hex digit 0-f
 * written as a letter a-p. The manifest "key" below pins the id for every
 * unpacked or self-packed Chromium build (Chrome, Edge, Chromium); policies
 * under 3rdparty/extensions/<id> reach it there. A store (Chrome Web Store,
 * Edge Add-ons) assigns its own id to a listed extension: policies must then
 * use the store id instead (docs/admin.md says so).
 *
 * Firefox uses the gecko id from wxt.config.ts, also named here for the docs.
 */

/** RSA-2048 public key, base64 DER SubjectPublicKeyInfo: the manifest "key" (Chromium builds only). */
export const CHROMIUM_MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvMzx9A3up3N0RVk1qy17H56fAWWAXJEAFdr7sh2PHCiQ038dqBtkRZDs/oZbYUolLq/LCT/pVGF585cz6VGJrTHFsKaDqCbnUcj2BYEjDQY8if7lX9TcckQfOY+puCP9PXQCvYnnX7r0KyiUe8MZWdX2cJz7fbsnL8UYiOi9f7gM6oPHwveG80RAzcfQAsT3DL+aId7nqC7P1R+K4zL6wx3zKP4irfDCQBq3VrJ3uIgOfTAKZ1lA6dUGJUOjaYhj8dtLpoUAtbqu0JjEHLA+0i30Dq0XTzinUtsXY+zv2KNuuvYeyILCt0Uo2SKT1nAZ2drC+EbQyhQM1/i/PfZBJwIDAQAB';

/** The Chromium extension id that CHROMIUM_MANIFEST_KEY gives (checked by tests/admin/managed-schema.test.ts). */
export const CHROMIUM_EXTENSION_ID = 'iccfbdncfnjknhbenboalkankmbcfpba';

/** Firefox add-on id (browser_specific_settings.gecko.id in wxt.config.ts). */
export const GECKO_ID = 'replyguard@replyguard';

/** The Chromium id for a manifest key, computed the way Chromium does. */
export async function chromiumIdForKey(base64Spki: string): Promise<string> {
  const der = Uint8Array.from(atob(base64Spki), (c) => c.charCodeAt(0));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
  return [...digest.slice(0, 16)]
    .map((b) => String.fromCharCode(97 + (b >> 4), 97 + (b & 15)))
    .join('');
}
