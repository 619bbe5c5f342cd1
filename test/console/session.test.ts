import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';
import { ORIGIN, page, post, signIn } from './support.js';

let h: Harness;
let acme: SeededTenant;
beforeAll(async () => {
  ({ h, tenant: acme } = await harnessWithTenant('acme'));
});
afterAll(() => h.close());

describe('console sessions', () => {
  it('sends a visitor without a session to sign in, and back to the page asked for', async () => {
    const res = await page(h, '', '/console/t/acme/clusters?phase=Ready');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/sign-in?next=%2Fconsole%2Ft%2Facme%2Fclusters%3Fphase%3DReady');
  });

  it('refuses a wrong token without saying why, and sets no cookie', async () => {
    const res = await post(h, '', '/console/sign-in', { token: 'fp_nope', next: '/console' });
    expect(res.status).toBe(401);
    expect(res.html).toContain('role="alert"');
    expect(res.html).toContain('The token was not accepted.');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('keeps the token in an HttpOnly, SameSite=Strict, Secure cookie only', async () => {
    const res = await post(h, '', '/console/sign-in', { token: acme.tokens.viewer, next: '/console/t/acme/clusters' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/t/acme/clusters');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Secure/); // the harness's origin is https
    expect(cookie).toMatch(/Path=\/console/);
    expect(cookie).not.toContain(acme.tokens.viewer);
    const clusters = await page(h, cookie.split(';')[0]!, '/console/t/acme/clusters');
    expect(clusters.status).toBe(200);
    expect(clusters.html).not.toContain(acme.tokens.viewer);
  });

  it('never sends a visitor elsewhere after signing in', async () => {
    for (const next of ['https://evil.test/', '//evil.test/console', '/\\evil.test', '/v1/tenants']) {
      const res = await post(h, '', '/console/sign-in', { token: acme.tokens.viewer, next });
      expect(res.headers.get('location'), next).toBe('/console');
    }
  });

  it('ends the session when its token is revoked', async () => {
    const made = await h.call('POST', '/v1/tenants/acme/tokens', { token: acme.tokens.owner, body: { spec: { role: 'viewer', description: 'short-lived' } } });
    const cookie = await signIn(h, made.body.token);
    expect((await page(h, cookie, '/console/t/acme/clusters')).status).toBe(200);
    const revoked = await h.call('DELETE', `/v1/tenants/acme/tokens/${made.body.metadata.name}`, { token: acme.tokens.owner });
    expect(revoked.status).toBe(204);
    const after = await page(h, cookie, '/console/t/acme/clusters');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/console\/sign-in/);
    expect(after.headers.get('set-cookie')).toMatch(/fp_session=;/);
  });

  it('refuses a POST whose Origin is missing or foreign (CSRF)', async () => {
    const cookie = await signIn(h, acme.tokens.owner);
    const foreign = await post(h, cookie, '/console/sign-out', {}, 'https://evil.test');
    expect(foreign.status).toBe(403);
    const none = await page(h, cookie, '/console/sign-out', { method: 'POST' });
    expect(none.status).toBe(403);
    expect((await post(h, cookie, '/console/sign-out', {})).status).toBe(303);
  });

  it('sends a tampered cookie to sign in', async () => {
    const cookie = await signIn(h, acme.tokens.viewer);
    const res = await page(h, `${cookie.slice(0, -4)}AAAA`, '/console/t/acme/clusters');
    expect(res.status).toBe(303);
  });

  it('answers another tenant exactly like a missing one', async () => {
    const cookie = await signIn(h, acme.tokens.owner);
    await h.call('PUT', '/v1/tenants/other', { token: h.adminToken, body: { spec: { displayName: 'o' } } });
    const other = await page(h, cookie, '/console/t/other/clusters');
    const missing = await page(h, cookie, '/console/t/nowhere/clusters');
    expect(other.status).toBe(404);
    expect(other.html).toBe(missing.html);
  });

  it('forbids framing, inline script and eval on every page', async () => {
    const cookie = await signIn(h, acme.tokens.viewer);
    for (const path of ['/console/sign-in', '/console/t/acme/clusters']) {
      const res = await page(h, cookie, path);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
      expect(res.html).not.toMatch(/\sstyle="/);
    }
  });

  it('serves its scripts and styles from the package, cached for good', async () => {
    const html = (await page(h, '', '/console/sign-in')).html;
    const srcs = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(srcs.some((s) => /htmx-2\.0\.\d+\.min\.js$/.test(s))).toBe(true);
    for (const src of srcs) {
      const res = await h.fetch(`${ORIGIN}${src}`);
      expect(res.status, src).toBe(200);
      expect(res.headers.get('cache-control')).toContain('immutable');
    }
  });
});
