import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * A local OIDC issuer: serves its JWKS over HTTP and signs user JWTs; can rotate
 * keys. It also answers discovery and the authorization code flow with PKCE,
 * approving at once as the subject set with `approveAs` (none: access denied).
 */
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
  let approved: string | undefined;
  const codes = new Map<string, { challenge: string; clientId: string; redirectUri: string; nonce: string; sub: string }>();
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const readForm = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return new URLSearchParams(text);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks.json` });
    }
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('state', q.get('state') ?? '');
      if (!approved || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) back.searchParams.set('error', 'access_denied');
      else {
        const code = randomBytes(16).toString('hex');
        codes.set(code, { challenge: q.get('code_challenge')!, clientId: q.get('client_id')!, redirectUri: q.get('redirect_uri')!, nonce: q.get('nonce') ?? '', sub: approved });
        back.searchParams.set('code', code);
      }
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const f = await readForm(req);
      const grant = codes.get(f.get('code') ?? '');
      codes.delete(f.get('code') ?? ''); // single use
      const verifier = createHash('sha256').update(f.get('code_verifier') ?? '').digest('base64url');
      if (!grant || grant.clientId !== f.get('client_id') || grant.redirectUri !== f.get('redirect_uri') || verifier !== grant.challenge) {
        return json(res, 400, { error: 'invalid_grant' });
      }
      return json(res, 200, { token_type: 'Bearer', id_token: await sign(grant.sub, { aud: grant.clientId, claims: { nonce: grant.nonce } }) });
    }
    fetches++;
    return json(res, 200, { keys: published });
  };
  const http = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as { port: number }).port;
  const issuer = `http://127.0.0.1:${port}`;
  const audience = 'fleetplane-test';
  const sign = (sub: string, opts: { aud?: string; iss?: string; expSeconds?: number; claims?: Record<string, unknown> } = {}) => {
    const k = keys[keys.length - 1]!;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(opts.claims ?? {})
      .setProtectedHeader({ alg: 'RS256', kid: k.kid })
      .setSubject(sub)
      .setIssuer(opts.iss ?? issuer)
      .setAudience(opts.aud ?? audience)
      .setIssuedAt(now)
      .setExpirationTime(now + (opts.expSeconds ?? 600))
      .sign(k.privateKey);
  };
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
    sign,
    /** The authorization endpoint approves as this subject from now on (undefined: it denies). */
    approveAs: (sub: string | undefined) => {
      approved = sub;
    },
    close: () => new Promise<void>((r) => http.close(() => r())),
  };
}
export type OidcIssuer = Awaited<ReturnType<typeof startOidcIssuer>>;
