import {
  calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK,
  type JSONWebKeySet, type JWK,
} from 'jose';
import { hmacKey, sha256 } from '../lib/crypto.js';

export const SIGNING_ALG = 'ES256';

/**
 * Fleetplane's own keys. The first private JWK signs connector credentials;
 * all of them verify, so a new key can be put first and the old one kept until
 * the credentials it signed have expired (rotation without a hard cut).
 */
export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicJwks: JSONWebKeySet;
  verifier: ReturnType<typeof createLocalJWKSet>;
  /** HMAC key for list cursors, derived from the signing key. */
  cursorKey: CryptoKey;
  /** AES-256-GCM key for the console's session cookies, derived from the signing key. */
  sessionKey: Uint8Array;
}

export async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg: SIGNING_ALG, use: 'sig', kid: await calculateJwkThumbprint(jwk) };
}

/** Accepts one private JWK or a JWK Set of them (JSON text). */
export async function loadSigningKeys(json: string): Promise<SigningKeys> {
  let parsed: { keys?: JWK[] } & JWK;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('FLEETPLANE_SIGNING_KEY: not JSON (expected a private JWK or a JWK Set)');
  }
  const jwks = parsed.keys ?? [parsed];
  const first = jwks[0];
  if (!first?.d || first.kty !== 'EC' || first.crv !== 'P-256') {
    throw new Error('FLEETPLANE_SIGNING_KEY: the first key must be a private EC P-256 JWK');
  }
  const publicKeys = await Promise.all(
    jwks.map(async ({ d: _d, ...pub }) => ({
      ...pub,
      alg: SIGNING_ALG,
      use: 'sig',
      kid: pub.kid ?? (await calculateJwkThumbprint(pub)),
    })),
  );
  const publicJwks = { keys: publicKeys };
  return {
    kid: publicKeys[0]!.kid,
    privateKey: (await importJWK({ ...first, alg: SIGNING_ALG }, SIGNING_ALG)) as CryptoKey,
    publicJwks,
    verifier: createLocalJWKSet(publicJwks),
    cursorKey: await hmacKey(await sha256(`fleetplane-cursor:${first.d}`)),
    sessionKey: await sha256(`fleetplane-console-session:${first.d}`),
  };
}

