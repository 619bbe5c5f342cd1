/** Small Web Crypto helpers that run the same on Workers and Node. */
const enc = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromBase64url(s: string): Uint8Array {
  const b = atob(s.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(b, (ch) => ch.charCodeAt(0));
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(text)));
}

export async function sha256Hex(text: string): Promise<string> {
  return Array.from(await sha256(text), (b) => b.toString(16).padStart(2, '0')).join('');
}

export const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random string of [a-z0-9] (so it is also a valid DNS label). */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  // 252 = 7 * 36: rejecting larger bytes keeps every character equally likely
  let out = '';
  for (const b of bytes) if (b < 252) out += ALPHABET[b % 36];
  return out.length === length ? out : out + randomId(length - out.length);
}

export function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export async function hmac(key: CryptoKey, text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(text)));
}

export function hmacVerify(key: CryptoKey, mac: Uint8Array, text: string): Promise<boolean> {
  return crypto.subtle.verify('HMAC', key, mac as BufferSource, enc.encode(text));
}
