import { Hono, type Context } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { authenticate } from '../auth/authenticate.js';
import { tenantAccess } from '../auth/guards.js';
import type { AppEnv } from '../context.js';
import { consoleApi, SessionEnded } from './api.js';
import { serveAsset } from './assets.js';
import { tenantPath, type ConsoleEnv } from './context.js';
import { sameOrigin, securityHeaders } from './guard.js';
import { NotFound } from './components/not-found.js';
import { BarePage } from './layout.js';
import { mountPages } from './pages/index.js';
import { mountOidc } from './pages/oidc.js';
import { mountSignIn } from './pages/sign-in.js';
import { endSession, readSession } from './session.js';

const toSignIn = (c: { req: { url: string; method: string } }) => {
  const here = new URL(c.req.url);
  const next = c.req.method === 'GET' ? `?next=${encodeURIComponent(here.pathname + here.search)}` : '';
  return `/console/sign-in${next}`;
};

/** The web console under /console: pages rendered here, reading and writing through the API (see api.ts). */
export function mountConsole(api: OpenAPIHono<AppEnv>) {
  const app = new Hono<ConsoleEnv>();
  app.use(securityHeaders, sameOrigin);
  app.get('/assets/:name', serveAsset);
  mountSignIn(app, api);
  mountOidc(app, api);

  app.onError((err, c) => {
    if (err instanceof SessionEnded) {
      endSession(c);
      return c.req.header('hx-request') ? c.body(null, 200, { 'HX-Redirect': toSignIn(c) }) : c.redirect(toSignIn(c), 303);
    }
    console.error(`[${c.get('requestId')}]`, err);
    return c.html(<BarePage title="Something went wrong"><p>An internal error occurred; quote request {c.get('requestId')} when reporting it.</p></BarePage>, 500);
  });

  /** Whom the session's token names, or a SessionEnded. */
  const principalOf = async (c: Context<ConsoleEnv>) => {
    const session = await readSession(c);
    if (!session) throw new SessionEnded();
    const principal = await authenticate(c.get('deps'), c.get('db'), `Bearer ${session.token}`).catch(() => undefined);
    if (!principal || principal.kind === 'connector') throw new SessionEnded();
    return { session, principal };
  };

  // the landing page: the caller's first tenant
  app.get('/', async (c) => {
    const { session } = await principalOf(c);
    const listed = await consoleApi(api, c, session.token)<{ items: { metadata: { name: string } }[] }>('GET', '/v1/tenants?limit=1');
    const first = listed.body.items?.[0]?.metadata.name;
    if (first) return c.redirect(tenantPath(first, '/clusters'), 303);
    return c.html(<BarePage title="No tenant yet"><p>This token belongs to no tenant yet. A platform admin creates tenants with <code>fleetplane create tenant NAME</code>.</p></BarePage>);
  });
  app.get('/switch', (c) => c.redirect(tenantPath(c.req.query('tenant') ?? '', '/clusters'), 303));

  app.use('/t/:tenant/*', async (c, next) => {
    const { session, principal } = await principalOf(c);
    const access = await tenantAccess(c.get('db'), principal, c.req.param('tenant'));
    if (!access) return c.html(<NotFound />, 404);
    const call = consoleApi(api, c, session.token);
    // the platform admin, and a person who is a member of several tenants, switch between them; an API token has one
    let tenants: string[] | undefined;
    if (principal.kind !== 'token') {
      const listed = await call<{ items: { metadata: { name: string } }[] }>('GET', '/v1/tenants?limit=500');
      const names = listed.body.items.map((t) => t.metadata.name);
      if (!names.includes(access.tenant.name)) names.unshift(access.tenant.name);
      if (principal.kind === 'admin' || names.length > 1) tenants = names;
    }
    c.set('console', { api: call, tenant: access.tenant.name, tenantUid: access.tenant.uid, role: access.role, tenants, url: new URL(c.req.url) });
    await next();
  });
  app.get('/t/:tenant', (c) => c.redirect(tenantPath(c.req.param('tenant'), '/clusters'), 303));
  mountPages(app);
  app.all('*', (c) => c.html(<NotFound />, 404));

  api.route('/console', app);
}
