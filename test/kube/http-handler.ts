import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authorizer } from './authz.js';
import type { PodLogs } from './pod-logs.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { badRequest, KubeError, methodNotAllowed, pathNotFound, unauthorized, unsupportedMediaType } from './errors.js';
import { mediaType, parseBody, readBody, sendJson } from './http-io.js';
import { apiVersionOf, type KindInfo } from './kinds.js';
import { route } from './routes.js';
import { toScale, writeScale } from './scale.js';
import { PATCH_TYPES, type KubeStore } from './store.js';
import { matchUrl } from './validation.js';
import { serveWatch, type WatchOptions } from './watch-stream.js';

/** The apiserver's REST surface over a KubeStore. */
export interface HandlerContext {
  store: KubeStore;
  token?: string;
  /** tokens with users and groups, impersonation and RBAC (instead of the one all-powerful `token`) */
  authz?: Authorizer;
  requests: { method: string; path: string; fieldManager?: string; user?: string; impersonatedBy?: string; groups?: string[] }[];
  /** containers' output, for pods/{name}/log */
  logs?: PodLogs;
  /** paths answered with a redirect to this location (an API server that tries to send its client elsewhere) */
  redirects?: Record<string, string>;
  requestLogLimit: number;
  watch: WatchOptions;
}

/** A view of the store whose every write method runs as a dry run. */
function dryStore(store: KubeStore): KubeStore {
  const writes = new Set(['create', 'replace', 'apply', 'patch', 'delete', 'deleteCollection', 'update']);
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return writes.has(String(prop)) ? (...args: unknown[]) => target.withDryRun(() => v.apply(target, args)) : v.bind(target);
    },
  });
}

const PUBLIC = new Set(['/version', '/healthz', '/livez', '/readyz']);

export async function handle(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const fieldManager = url.searchParams.get('fieldManager') ?? undefined;
  ctx.requests.push({ method: req.method ?? 'GET', path: url.pathname, ...(fieldManager ? { fieldManager } : {}) });
  // A bounded log: long benchmark runs must not grow it without end.
  if (ctx.requests.length > ctx.requestLogLimit) ctx.requests.splice(0, ctx.requests.length - ctx.requestLogLimit);
  try {
    // Like the default `system:public-info-viewer` role: version and health need no credentials.
    if (PUBLIC.has(url.pathname)) {
      if (url.pathname !== '/version') { res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }); res.end('ok'); return; }
    } else if (ctx.authz) {
      const who = ctx.authz.authenticate(req);
      const entry = ctx.requests[ctx.requests.length - 1]!;
      Object.assign(entry, { user: who.user, groups: who.groups }, who.impersonatedBy ? { impersonatedBy: who.impersonatedBy } : {});
      ctx.authz.authorize(who, req.method ?? 'GET', route(url.pathname), url);
    } else if (ctx.token !== undefined && req.headers.authorization !== `Bearer ${ctx.token}`) throw unauthorized();
    const location = ctx.redirects?.[url.pathname];
    if (location) { res.writeHead(302, { Location: location, 'Content-Length': '0' }); res.end(); return; }
    const dryRun = url.searchParams.get('dryRun');
    if (dryRun !== null && dryRun !== 'All') throw badRequest(`dryRun: Unsupported value: "${dryRun}": supported values: "All"`);
    if (dryRun === 'All' && req.method !== 'GET') {
      // The body is read asynchronously; the store runs dry only around the synchronous write itself.
      await dispatch({ ...ctx, store: dryStore(ctx.store) }, req, res, url);
    } else await dispatch(ctx, req, res, url);
  } catch (e) {
    if (res.headersSent) { res.end(); return; }
    const err = e instanceof KubeError ? e : new KubeError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`);
    sendJson(res, err.code, err.status());
  }
}

async function dispatch(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const r = route(url.pathname);
  const method = req.method ?? 'GET';
  if (r.type !== 'resource') {
    if (method !== 'GET') throw methodNotAllowed(method);
    const doc = r.type === 'version' ? versionInfo()
      : r.type === 'discovery-root' ? (r.legacy ? apiVersions(req.headers.host ?? '127.0.0.1') : apiGroupList())
      : r.type === 'discovery-group' ? apiGroup(r.group)
      : r.type === 'discovery-group-version' ? apiResourceList(r.group, r.version)
      : undefined;
    if (!doc) throw pathNotFound();
    return sendJson(res, 200, doc);
  }
  const { info, namespace, name, subresource } = r;
  const q = url.searchParams;
  if (subresource === 'log' && info.kind === 'Pod' && name !== undefined && ctx.logs) {
    if (method !== 'GET') throw methodNotAllowed(method);
    return ctx.logs.serve(ctx.store.read(info, namespace, name), q, res);
  }
  if (subresource !== undefined && subresource !== 'status' && !(subresource === 'scale' && info.scale)) throw pathNotFound();
  const store = ctx.store;
  const manager = q.get('fieldManager') ?? userAgentManager(req);
  const av = apiVersionOf(info);

  if (name === undefined) {
    if (method === 'GET' && (q.get('watch') === 'true' || q.get('watch') === '1')) {
      return serveWatch(store, info, namespace, q, res, ctx.watch);
    }
    if (method === 'GET') return sendJson(res, 200, listBody(store, info, namespace, q));
    if (method === 'POST') {
      const body = matchUrl(info, parseBody(await readBody(req), false), { namespace }, false);
      return sendJson(res, 201, store.create(body, { manager }));
    }
    if (method === 'DELETE') {
      const deleted = store.deleteCollection(av, info.kind, namespace, selectors(q), { propagationPolicy: q.get('propagationPolicy') ?? undefined });
      return sendJson(res, 200, { kind: `${info.kind}List`, apiVersion: av, metadata: { resourceVersion: store.resourceVersion }, items: deleted });
    }
    throw methodNotAllowed(method);
  }

  if (subresource === 'scale') return sendJson(res, 200, await scaleRequest(ctx.store, info, namespace, name, req, manager));
  const scope = subresource === 'status' ? 'status' : '';
  if (method === 'GET') return sendJson(res, 200, store.read(info, namespace, name));
  if (method === 'PUT') {
    const body = matchUrl(info, parseBody(await readBody(req), false), { namespace, name }, false);
    return sendJson(res, 200, store.replace(body, { manager, subresource: scope }));
  }
  if (method === 'PATCH') {
    const type = mediaType(req.headers['content-type']);
    if (!(Object.values(PATCH_TYPES) as string[]).includes(type)) throw unsupportedMediaType(type);
    const isApply = type === PATCH_TYPES.apply;
    let body = parseBody(await readBody(req), isApply);
    if (isApply) body = matchUrl(info, body, { namespace, name }, true);
    const force = q.has('force') ? q.get('force') === 'true' : undefined;
    const out = store.patch(av, info.kind, namespace, name, type, body, { manager: isApply ? q.get('fieldManager') ?? '' : manager, force, subresource: scope });
    return sendJson(res, out.created ? 201 : 200, out.object);
  }
  if (method === 'DELETE') {
    if (scope) throw methodNotAllowed(method);
    const opts = parseBody(await readBody(req), false) ?? {};
    const { object, removed } = store.delete(av, info.kind, namespace, name, {
      propagationPolicy: q.get('propagationPolicy') ?? opts.propagationPolicy,
      preconditions: opts.preconditions,
    });
    // An object gone at once is answered with a Success Status; one still terminating, with itself.
    if (!removed) return sendJson(res, 200, object);
    return sendJson(res, 200, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
      details: { name, group: info.group, kind: info.plural, uid: object.metadata.uid },
    });
  }
  throw methodNotAllowed(method);
}

async function scaleRequest(store: KubeStore, info: KindInfo, namespace: string | undefined, name: string, req: IncomingMessage, manager: string) {
  const prev = store.read(info, namespace, name);
  if (req.method === 'GET') return toScale(prev);
  if (req.method !== 'PUT' && req.method !== 'PATCH') throw methodNotAllowed(req.method ?? '');
  const type = mediaType(req.headers['content-type']);
  return writeScale(store, info, prev, req.method, type, parseBody(await readBody(req), false), manager);
}

const selectors = (q: URLSearchParams) => ({ labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector') });

/**
 * A list, with `limit`/`continue` paging: the continue token is the offset
 * into a name-ordered list (the apiserver's is opaque; clients only pass it back).
 */
function listBody(store: KubeStore, info: KindInfo, namespace: string | undefined, q: URLSearchParams) {
  const all = store.listInfo(info, namespace, selectors(q))
    .sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
  const limit = Number(q.get('limit') ?? 0);
  const from = q.get('continue') ? Number(Buffer.from(q.get('continue')!, 'base64url').toString()) : 0;
  if (!Number.isInteger(from) || from < 0) throw badRequest('continue key is not valid');
  const items = limit > 0 ? all.slice(from, from + limit) : all.slice(from);
  const rest = all.length - from - items.length;
  const metadata = {
    resourceVersion: store.resourceVersion,
    ...(rest > 0 ? { continue: Buffer.from(String(from + items.length)).toString('base64url'), remainingItemCount: rest } : {}),
  };
  return { kind: `${info.kind}List`, apiVersion: apiVersionOf(info), metadata, items };
}

/** Without ?fieldManager, the apiserver names the manager after the client's User-Agent program. */
function userAgentManager(req: IncomingMessage): string {
  const ua = req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0] || 'unknown';
}
