import { SplitRouter } from './lib/split-router.js';
import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { bodyLimit } from 'hono/body-limit';
import { connectorAuth, userAuth } from './auth/guards.js';
import type { AppDeps, AppEnv } from './context.js';
import { errorResponse } from './lib/error-response.js';
import { allowedMethods } from './lib/method-not-allowed.js';
import { jsonDepthProblem, MAX_JSON_DEPTH } from './lib/json-depth.js';
import { ApiError, invalid, problemResponse } from './lib/problem.js';
import { declareImplicitProblems, documentInfo, documentTags, serverUrl } from './lib/openapi.js';
import { requestId } from './lib/request-id.js';
import { throttles } from './lib/throttles.js';
import { fieldErrors } from './lib/zod-errors.js';
import { mountConsole } from './console/index.js';
import { mountRoutes } from './routes/index.js';
import { trackEnqueued } from './webhooks/enqueued.js';
import { announceChanges } from './push/announce.js';
import { FeedNotes } from './push/feed.js';
import { isGatewayPath } from './gateway/identity.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({
    router: new SplitRouter(),
    defaultHook: (result) => {
      if (!result.success) {
        const where = result.target === 'json' ? 'body' : result.target === 'param' ? 'path' : result.target;
        throw invalid(fieldErrors(result.error, where as 'body'));
      }
    },
  });

  app.onError((err, c) => errorResponse(err, c.get('requestId') ?? 'unknown'));

  app.use(requestId);
  app.use(async (c, next) => {
    c.set('deps', deps);
    const { db, release } = await deps.db.open();
    let released: Promise<void> | undefined;
    c.set('db', db);
    // inline, not a named const: tsx names each function it sees made, a cost on every request
    c.set('releaseDb', () => (released ??= release()));
    c.set('feed', new FeedNotes());
    try {
      // the request's transactions have committed once next() returns: its webhook deliveries can go
      const { enqueued, tenants } = await trackEnqueued(next);
      if (enqueued) {
        const sending = deps.webhooks.enqueued(tenants).catch((err) => console.error('webhook deliveries after a request:', err));
        if (deps.releaseAfterResponse) c.executionCtx.waitUntil(sending);
      }
      const announcing = announceChanges(c);
      if (announcing && deps.releaseAfterResponse) c.executionCtx.waitUntil(announcing);
    } finally {
      const done = c.get('releaseDb')();
      if (deps.releaseAfterResponse) c.executionCtx.waitUntil(done);
      else await done;
    }
  });
  const tooLarge = () => new ApiError(413, 'body_too_large', `the request body exceeds ${MAX_BODY_BYTES} bytes`);
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw tooLarge();
    },
  });
  // A GET or HEAD has no body for Fetch anyway. A body of declared length is judged by its header alone: HTTP
  // framing delivers no more than it declares. bodyLimit asks for c.req.raw.body first, which on Node builds the
  // whole Fetch Request and its stream, a third of a heartbeat's CPU; only a chunked body needs it, to count.
  // The gateway's bodies stream through to the cluster, whose API server judges them.
  app.use((c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || isGatewayPath(c.req.path)) return next();
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return limitBody(c, next);
    if (Number(declared) > MAX_BODY_BYTES) throw tooLarge();
    return next();
  });

  const limits = throttles(deps);
  // '/v1/tenants/*' matches '/v1/tenants' too: listing it as well ran the guard twice (two tokens, two lookups)
  for (const path of ['/v1/tenants/*', '/v1/catalog/*']) app.use(path, limits.guard, userAuth, limits.tenant);
  app.use('/v1/join/*', limits.guard);
  app.use('/v1/connector/*', limits.guard, async (c, next) => {
    // registration carries a join token, not a credential
    if (c.req.path === '/v1/connector/register') return next();
    return connectorAuth(c, next);
  });
  // Too deep a body is refused before anything recursive (validation, the driver's JSON.stringify) sees it, and
  // after authentication: a caller who is refused anyway costs no parsing. (Access to the tenant is checked later,
  // by each route: a deep body is a 400 whichever tenant it names, which tells nothing about that tenant.)
  app.use(async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !isGatewayPath(c.req.path) && /\bjson\b/i.test(c.req.header('content-type') ?? '')) {
      // the route's validator parses the same cached text again, and reports a body that is not JSON
      const body = await c.req.json().catch(() => undefined);
      const problem = jsonDepthProblem(body);
      if (problem) throw invalid([problem], `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    await next();
  });

  mountRoutes(app);
  declareImplicitProblems(app);
  mountConsole(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const tags = documentTags(app);
  app.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: documentInfo,
    servers: [{ url: serverUrl(deps.publicUrl, c), description: 'this Fleetplane' }],
    tags,
    security: [{ bearer: [] }],
  }));
  app.get('/docs', swaggerUI({ url: '/openapi.json' }));

  const allow = allowedMethods(
    app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [{ method: d.route.method, path: d.route.path }] : [])),
  );
  app.notFound((c) => {
    const methods = allow(c.req.path);
    // a method the path does take, yet no route answered (e.g. a trailing slash Hono does not strip): not found, not 405
    if (methods.length > 0 && !methods.includes(c.req.method)) {
      return problemResponse(c, new ApiError(405, 'method_not_allowed', `${c.req.method} is not supported here`, undefined, {
        Allow: methods.join(', '),
      }));
    }
    return problemResponse(c, new ApiError(404, 'not_found', `no route for ${c.req.path}`));
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
