import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';
import { ORIGIN, page } from './support.js';

let h: Harness;
let acme: SeededTenant;
beforeAll(async () => {
  ({ h, tenant: acme } = await harnessWithTenant('acme'));
  expect((await h.call('PUT', '/v1/tenants/acme/members/alice', { token: acme.tokens.owner, body: { spec: { role: 'viewer' } } })).status).toBe(201);
});
afterAll(() => h.close());

const cookieOf = (res: { headers: Headers }, name: string) =>
  res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

/** /console/oidc/start → the issuer's authorization endpoint → back to the callback URL. */
async function startFlow(next = '/console/t/acme/events') {
  const start = await page(h, '', `/console/oidc/start?next=${encodeURIComponent(next)}`);
  expect(start.status).toBe(303);
  const flowCookie = cookieOf(start, 'fp_oidc')!;
  const authorize = new URL(start.headers.get('location')!);
  const back = await fetch(authorize, { redirect: 'manual' });
  expect(back.status).toBe(302);
  return { start, flowCookie, authorize, callback: new URL(back.headers.get('location')!) };
}

describe('single sign-on (authorization code with PKCE)', () => {
  it('signs a member in with the ID token and goes back to the page asked for', async () => {
    h.oidc.approveAs('alice');
    const signIn = await page(h, '', '/console/sign-in');
    expect(signIn.html).toContain('>Sign in with single sign-on</a>');
    const { flowCookie, authorize, callback } = await startFlow();
    expect(flowCookie).toMatch(/HttpOnly/);
    expect(flowCookie).toMatch(/SameSite=Lax/);
    expect(flowCookie).toMatch(/Path=\/console\/oidc/);
    expect(flowCookie).toMatch(/Secure/);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${ORIGIN}/console/oidc/callback`);
    expect(authorize.searchParams.get('client_id')).toBe(h.oidc.audience);
    expect(callback.origin + callback.pathname).toBe(`${ORIGIN}/console/oidc/callback`);

    const done = await page(h, flowCookie.split(';')[0]!, callback.pathname + callback.search);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/console/t/acme/events');
    const session = cookieOf(done, 'fp_session')!;
    expect(session).toMatch(/SameSite=Strict/);
    const events = await page(h, session.split(';')[0]!, '/console/t/acme/events');
    expect(events.status).toBe(200);
    expect(events.html).toContain('<h1>Events</h1>');
  });

  it('refuses a callback whose state is not the one it sent, or without the flow’s cookie', async () => {
    h.oidc.approveAs('alice');
    const { flowCookie, callback } = await startFlow();
    const forged = new URL(callback);
    forged.searchParams.set('state', 'someone-elses');
    expect((await page(h, flowCookie.split(';')[0]!, forged.pathname + forged.search)).status).toBe(400);
    expect((await page(h, '', callback.pathname + callback.search)).status).toBe(400);
  });

  it('the issuer refuses a code with the wrong verifier, and a non-member is not signed in', async () => {
    h.oidc.approveAs('alice');
    const { authorize, callback } = await startFlow();
    const wrong = await fetch(`${h.oidc.issuer}/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: authorize.searchParams.get('redirect_uri')!, client_id: h.oidc.audience, code_verifier: 'not-the-verifier' }),
    });
    expect(wrong.status).toBe(400);

    h.oidc.approveAs('mallory');
    const flow = await startFlow();
    const refused = await page(h, flow.flowCookie.split(';')[0]!, flow.callback.pathname + flow.callback.search);
    expect(refused.status).toBe(401);
    expect(refused.html).toContain('ask a tenant owner to add you');
    expect(cookieOf(refused, 'fp_session')).toBeUndefined();
  });
});
