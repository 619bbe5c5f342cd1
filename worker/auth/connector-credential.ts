import { SignJWT, jwtVerify } from 'jose';
import { SIGNING_ALG, type SigningKeys } from './signing-keys.js';

export const CONNECTOR_ISSUER = 'fleetplane';
export const CONNECTOR_AUDIENCE = 'fleetplane-connector';
export const CREDENTIAL_TTL_SECONDS = 3600;

export interface ConnectorClaims {
  /** cluster uid */
  sub: string;
  /** tenant uid */
  tnt: string;
  /** credential generation; revoking a cluster bumps it, so older credentials stop working */
  gen: number;
  /** expiry (set when verified) */
  exp?: Date;
}

export async function signConnectorCredential(keys: SigningKeys, claims: ConnectorClaims, now: Date) {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + CREDENTIAL_TTL_SECONDS;
  const credential = await new SignJWT({ tnt: claims.tnt, gen: claims.gen })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: keys.kid, typ: 'JWT' })
    .setIssuer(CONNECTOR_ISSUER)
    .setAudience(CONNECTOR_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(keys.privateKey);
  return { credential, expiresAt: new Date(exp * 1000) };
}

const CLOCK_TOLERANCE_SECONDS = 5;
/**
 * Enough for a fleet of 100,000 clusters: with fewer places than connectors,
 * first-in-first-out eviction cycles through all of them and nothing ever
 * hits (at 100,000 clusters and 20,000 places, every poll was verified again).
 * About 250 bytes each, keyed by the signature alone.
 */
const CACHE_MAX = 120_000;

/**
 * Credentials whose signature was already checked, per key set, by their
 * signature segment (86 characters, unique to the token: whoever shows it
 * holds the token it signs, whose claims are what is kept). A connector
 * shows the same credential ~360 times an hour and an ES256 check costs about
 * 0.1 ms of CPU. Revocation is unaffected: every connector request also checks
 * the credential generation (against the database, or the cluster cache that
 * revocation empties).
 */
const verified = new WeakMap<SigningKeys, Map<string, ConnectorClaims>>();

const signatureOf = (token: string) => token.slice(token.lastIndexOf('.') + 1);

/** The claims of a credential already verified and not yet expired, without decoding it again. */
export function verifiedConnectorCredential(keys: SigningKeys, token: string, now: Date): ConnectorClaims | undefined {
  const cache = verified.get(keys);
  const key = signatureOf(token);
  const hit = cache?.get(key);
  if (!hit) return undefined;
  if (hit.exp!.getTime() + CLOCK_TOLERANCE_SECONDS * 1000 > now.getTime()) return hit;
  cache!.delete(key);
  return undefined;
}

export async function verifyConnectorCredential(keys: SigningKeys, token: string, now: Date): Promise<ConnectorClaims> {
  const hit = verifiedConnectorCredential(keys, token, now);
  if (hit) return hit;
  let cache = verified.get(keys);
  if (!cache) verified.set(keys, (cache = new Map()));
  const claims = await verifyWithKeys(keys, token, now);
  // oldest first out: Map keeps insertion order
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(signatureOf(token), claims);
  return claims;
}

async function verifyWithKeys(keys: SigningKeys, token: string, now: Date): Promise<ConnectorClaims> {
  const { payload } = await jwtVerify(token, keys.verifier, {
    issuer: CONNECTOR_ISSUER,
    audience: CONNECTOR_AUDIENCE,
    algorithms: [SIGNING_ALG],
    currentDate: now,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['sub', 'exp', 'tnt', 'gen'],
  });
  return { sub: payload.sub!, tnt: String(payload.tnt), gen: Number(payload.gen), exp: new Date(payload.exp! * 1000) };
}
