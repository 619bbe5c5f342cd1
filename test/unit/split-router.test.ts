import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SplitRouter } from '../../worker/lib/split-router.js';

describe('SplitRouter', () => {
  it('routes the API with RegExpRouter and the console with a trie; global middleware runs first on both', async () => {
    const app = new Hono({ router: new SplitRouter() });
    const seen: string[] = [];
    app.use(async (c, next) => {
      seen.push(`mw ${c.req.path}`);
      await next();
    });
    app.get('/v1/tenants/:tenant/clusters/:cluster', (c) => c.text(`api ${c.req.param('tenant')}/${c.req.param('cluster')}`));
    // a static segment beside a parameter: refused by RegExpRouter on its own
    app.get('/console/t/:tenant/clusters/new', (c) => c.text(`new in ${c.req.param('tenant')}`));
    app.get('/console/t/:tenant/clusters/:cluster', (c) => c.text(`page ${c.req.param('cluster')}`));
    expect(await (await app.request('/v1/tenants/a/clusters/b')).text()).toBe('api a/b');
    expect(await (await app.request('/console/t/a/clusters/new')).text()).toBe('new in a');
    expect(await (await app.request('/console/t/a/clusters/c1')).text()).toBe('page c1');
    expect((await app.request('/v1/nothing')).status).toBe(404);
    expect(seen).toEqual(['mw /v1/tenants/a/clusters/b', 'mw /console/t/a/clusters/new', 'mw /console/t/a/clusters/c1', 'mw /v1/nothing']);
  });
});
