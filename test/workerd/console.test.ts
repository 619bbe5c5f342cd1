import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, origin } from './call.js';

const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);

const page = (path: string, init: RequestInit = {}) => exports.default.fetch(`${origin}${path}`, { redirect: 'manual', ...init });

describe('the console inside workerd', () => {
  it('signs in with a token and renders a tenant page from the API, with its assets', async () => {
    const t = `wc-${Date.now().toString(36)}`;
    expect((await call('PUT', `/v1/tenants/${t}`, adminToken, { spec: { displayName: 'Console in workerd' } })).status).toBe(201);
    expect((await call('PUT', `/v1/tenants/${t}/clusters/edge-1`, adminToken, { metadata: { labels: { env: 'prod' } }, spec: {} })).status).toBe(201);
    const token = await call('POST', `/v1/tenants/${t}/tokens`, adminToken, { spec: { role: 'viewer', description: 'console' } });

    const signIn = await page('/console/sign-in', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: token.json.token, next: `/console/t/${t}/clusters` }),
    });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);

    const res = await page(`/console/t/${t}/clusters`, { headers: { cookie: cookie.split(';')[0]! } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('<h1>Clusters</h1>');
    expect(html).toContain(`href="/console/t/${t}/clusters/edge-1"`);
    expect(html).toContain('env=prod');
    expect(html).not.toContain(token.json.token);

    const css = [...html.matchAll(/href="(\/console\/assets\/pico-[^"]+)"/g)][0]![1]!;
    const asset = await page(css);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/css');
    await asset.arrayBuffer();
  });

  it('a tab’s live feed hears of a cluster created through the API, through the tenant’s Durable Object', async () => {
    const t = `wl-${Date.now().toString(36)}`;
    expect((await call('PUT', `/v1/tenants/${t}`, adminToken, { spec: { displayName: 'Live in workerd' } })).status).toBe(201);
    const signIn = await page('/console/sign-in', {
      method: 'POST', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: adminToken, next: '/console' }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const abort = new AbortController();
    const live = await page(`/console/t/${t}/live`, { headers: { cookie }, signal: abort.signal });
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = live.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const heard = (async () => {
      while (!/^event: Cluster$/m.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      return text;
    })();
    expect((await call('PUT', `/v1/tenants/${t}/clusters/edge-1`, adminToken, { metadata: { labels: {} }, spec: {} })).status).toBe(201);
    const timeout = new Promise<string>((r) => setTimeout(() => r(`timed out; heard: ${text}`), 3000));
    expect(await Promise.race([heard, timeout])).toMatch(/^event: Cluster$/m);
    abort.abort();
    await reader.cancel().catch(() => {});
  });

  it('refuses a cross-origin form post before reading any session', async () => {
    const res = await page('/console/sign-out', { method: 'POST', headers: { origin: 'https://evil.test' } });
    expect(res.status).toBe(403);
    await res.arrayBuffer();
  });
});
