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

export async function verifyConnectorCredential(keys: SigningKeys, token: string, now: Date): Promise<ConnectorClaims> {
  const { payload } = await jwtVerify(token, keys.verifier, {
    issuer: CONNECTOR_ISSUER,
    audience: CONNECTOR_AUDIENCE,
    algorithms: [SIGNING_ALG],
    currentDate: now,
    clockTolerance: 5,
    requiredClaims: ['sub', 'exp', 'tnt', 'gen'],
  });
  return { sub: payload.sub!, tnt: String(payload.tnt), gen: Number(payload.gen), exp: new Date(payload.exp! * 1000) };
}
