import { randomBytes } from '../lib/crypto.js';

/**
 * Standard Webhooks secrets: `whsec_` and the base64 of the key. The
 * specification asks for keys of 24 to 64 bytes; generated ones have 32.
 */
export const SECRET_PREFIX = 'whsec_';
const GENERATED_BYTES = 32;

export const SECRET_PATTERN = /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The key's length in bytes, or undefined when the text is not a secret. */
export function secretKeyBytes(secret: string): number | undefined {
  if (!SECRET_PATTERN.test(secret)) return undefined;
  const b64 = secret.slice(SECRET_PREFIX.length);
  return (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
}

export const isValidSecret = (secret: string) => {
  const n = secretKeyBytes(secret);
  return n !== undefined && n >= 24 && n <= 64;
};

export function generateSecret(): string {
  let s = '';
  for (const b of randomBytes(GENERATED_BYTES)) s += String.fromCharCode(b);
  return `${SECRET_PREFIX}${btoa(s)}`;
}
