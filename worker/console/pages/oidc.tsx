import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { base64url, decodeJwt, EncryptJWT, jwtDecrypt } from 'jose';
import { consoleApi } from '../api.js';
import type { ConsoleEnv } from '../context.js';
import { BarePage } from '../layout.js';
import { startSession } from '../session.js';
import { safeNext } from './sign-in.js';

/**
 * Single sign-on: the authorization code flow with PKCE (RFC 7636). What the
 * callback must check (state, the code verifier, the nonce, where to go back)
 * waits in a short-lived encrypted cookie on /console/oidc only; it is
 * SameSite=Lax because the identity provider's redirect back is a cross-site
 * navigation, which a Strict cookie would not accompany. The ID token is
 * then judged by the API exactly as a bearer token is, and becomes the session.
 */
const COOKIE = 'fp_oidc';
const PATH = '/console/oidc';
const FLOW_SECONDS = 600;

interface Flow { state: string; verifier: string; nonce: string; next: string }
interface Discovery { authorization_endpoint: string; token_endpoint: string }

const random = () => base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
const sha256 = async (text: string) => base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
const origin = (c: Context<ConsoleEnv>) => c.get('deps').publicUrl ?? new URL(c.req.url).origin;
const redirectUri = (c: Context<ConsoleEnv>) => `${origin(c)}${PATH}/callback`;

async function discover(issuer: string): Promise<Discovery> {
  const res = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { redirect: 'error' });
  if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  const d = (await res.json()) as Partial<Discovery>;
  if (!d.authorization_endpoint || !d.token_endpoint) throw new Error('discovery names no authorization or token endpoint');
  return d as Discovery;
}

const Failed = ({ why }: { why: string }) => (
  <BarePage title="Sign-in failed">
    <p role="alert">{why}</p>
    <p><a href="/console/sign-in">Back to sign in</a></p>
  </BarePage>
);

export function mountOidc(app: Hono<ConsoleEnv>, api: Hono<any>) {
  app.get('/oidc/start', async (c) => {
    const login = c.get('deps').oidcLogin;
    if (!login) return c.html(<Failed why="Single sign-on is not configured here." />, 404);
    const flow: Flow = { state: random(), verifier: random(), nonce: random(), next: safeNext(c.req.query('next')) };
    const endpoints = await discover(login.issuer).catch(() => undefined);
    if (!endpoints) return c.html(<Failed why="The identity provider could not be reached; try again shortly." />, 502);
    const sealed = await new EncryptJWT({ ...flow })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setExpirationTime(Math.floor(c.get('deps').now().getTime() / 1000) + FLOW_SECONDS)
      .encrypt(c.get('deps').keys.sessionKey);
    setCookie(c, COOKIE, sealed, { httpOnly: true, sameSite: 'Lax', secure: origin(c).startsWith('https:'), path: PATH, maxAge: FLOW_SECONDS });
    const to = new URL(endpoints.authorization_endpoint);
    for (const [k, v] of Object.entries({
      response_type: 'code', client_id: login.clientId, redirect_uri: redirectUri(c), scope: 'openid',
      state: flow.state, nonce: flow.nonce, code_challenge: await sha256(flow.verifier), code_challenge_method: 'S256',
    })) to.searchParams.set(k, v);
    return c.redirect(to.toString(), 303);
  });

  app.get('/oidc/callback', async (c) => {
    const login = c.get('deps').oidcLogin;
    if (!login) return c.html(<Failed why="Single sign-on is not configured here." />, 404);
    const sealed = getCookie(c, COOKIE);
    deleteCookie(c, COOKIE, { path: PATH });
    const flow = sealed
      ? await jwtDecrypt(sealed, c.get('deps').keys.sessionKey, { currentDate: c.get('deps').now() }).then((r) => r.payload as unknown as Flow, () => undefined)
      : undefined;
    const code = c.req.query('code');
    if (!flow || !code || c.req.query('state') !== flow.state) {
      return c.html(<Failed why="This sign-in was not started here, or it took too long. Start again." />, 400);
    }
    const endpoints = await discover(login.issuer).catch(() => undefined);
    const answer = endpoints && await fetch(endpoints.token_endpoint, {
      method: 'POST', redirect: 'error',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(c), client_id: login.clientId, code_verifier: flow.verifier }),
    }).catch(() => undefined);
    const idToken = answer?.ok ? ((await answer.json()) as { id_token?: string }).id_token : undefined;
    if (!idToken) return c.html(<Failed why="The identity provider did not accept the sign-in." />, 401);
    const claims = decodeJwt(idToken);
    // the API judges the token (signature, issuer, audience, expiry, membership) as for any client
    const listed = claims.nonce === flow.nonce
      ? await consoleApi(api, c, idToken)<{ items?: unknown[] }>('GET', '/v1/tenants?limit=1').catch(() => undefined)
      : undefined;
    // a valid identity that no tenant lists has nothing to see yet
    const accepted = listed?.ok && (listed.body.items?.length ?? 0) > 0;
    if (!accepted) return c.html(<Failed why="The identity was not accepted: ask a tenant owner to add you as a member." />, 401);
    await startSession(c, idToken, claims.exp ? new Date(claims.exp * 1000) : undefined);
    return c.redirect(flow.next, 303);
  });
}
