import { createServer } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';

/** A local OIDC issuer: serves its JWKS over HTTP and signs user JWTs; can rotate keys. */
export async function startOidcIssuer() {
  const keys: { kid: string; privateKey: CryptoKey; jwk: JWK }[] = [];
  let published: JWK[] = [];
  let fetches = 0;
  const addKey = async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const kid = `k${keys.length + 1}`;
    const key = { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
    keys.push(key);
    return key;
  };
  await addKey();
  published = keys.map((k) => k.jwk);
  const http = createServer((_req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as { port: number }).port;
  const issuer = `http://127.0.0.1:${port}`;
  const audience = 'fleetplane-test';
  return {
    issuer,
    audience,
    jwksUrl: `${issuer}/jwks.json`,
    fetches: () => fetches,
    /** A new key replaces the old one in the published set. */
    rotate: async () => {
      const k = await addKey();
      published = [k.jwk];
    },
    sign: (sub: string, opts: { aud?: string; iss?: string; expSeconds?: number } = {}) => {
      const k = keys[keys.length - 1]!;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: k.kid })
        .setSubject(sub)
        .setIssuer(opts.iss ?? issuer)
        .setAudience(opts.aud ?? audience)
        .setIssuedAt(now)
        .setExpirationTime(now + (opts.expSeconds ?? 600))
        .sign(k.privateKey);
    },
    close: () => new Promise<void>((r) => http.close(() => r())),
  };
}
export type OidcIssuer = Awaited<ReturnType<typeof startOidcIssuer>>;
