import { createRemoteJWKSet, jwtVerify } from 'jose';

/** Asymmetric algorithms only: an HS* token would let anyone holding the public key forge one. */
export const USER_JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

export interface OidcConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

export type OidcVerifier = (token: string, now: Date) => Promise<{ subject: string }>;

/**
 * Verifies user JWTs against the issuer's JWKS. An unknown `kid` makes jose
 * refetch the set (at most once per cooldown), which is how a rotated key is picked up.
 */
export function oidcVerifier(cfg: OidcConfig, cooldownMs = 30_000): OidcVerifier {
  const jwks = createRemoteJWKSet(new URL(cfg.jwksUrl), { cooldownDuration: cooldownMs, cacheMaxAge: 10 * 60_000 });
  return async (token, now) => {
    const { payload } = await jwtVerify(token, jwks, {
      issuer: cfg.issuer,
      audience: cfg.audience,
      algorithms: USER_JWT_ALGORITHMS,
      currentDate: now,
      clockTolerance: 30,
      requiredClaims: ['sub', 'exp'],
    });
    return { subject: payload.sub! };
  };
}
