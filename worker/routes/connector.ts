import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { signConnectorCredential } from '../auth/connector-credential.js';
import type { AppEnv } from '../context.js';
import { HEARTBEAT_INTERVAL_SECONDS } from '../domain/clusters/phase.js';
import { connectorCluster } from '../domain/connector/connector-cluster.js';
import { desiredStateBody } from '../domain/connector/desired-state.js';
import { recordHeartbeat } from '../domain/connector/heartbeat.js';
import { registerConnector } from '../domain/connector/register.js';
import { publishAll } from '../push/publish.js';
import { ingestStatus } from '../domain/connector/status.js';
import { etagOf, notModified } from '../lib/preconditions.js';
import { DnsLabel } from '../lib/schemas.js';
import { setResponseHeader } from '../lib/response-header.js';
import { json, jsonBody, problems } from './common.js';
import { watchRevision } from './connector-watch.js';

/** A credential this close to expiry is replaced in the heartbeat answer. */
const REFRESH_BEFORE_MS = 15 * 60_000;

/** What a connector says is stored as, or read back with, Postgres text, which cannot hold U+0000. */
const Text = (min: number, max: number) => z.string().min(min).max(max).regex(/^[^\0]*$/, { error: 'must not contain U+0000' });

const Condition = z.strictObject({
  type: Text(1, 316), status: z.enum(['True', 'False', 'Unknown']),
  reason: Text(0, 1024).optional(), message: Text(0, 32768).optional(), lastTransitionTime: Text(0, 64).optional(),
});
const Facts = { kubernetesVersion: Text(1, 64), nodeCount: z.number().int().min(0) };
const Revision = z.number().int().min(0);
const ReportedResource = z.strictObject({
  apiVersion: Text(1, 253), kind: Text(1, 253), namespace: Text(0, 253).optional(),
  name: Text(1, 253), health: z.enum(['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown']),
  message: Text(0, 4096).optional(),
});

const tags = ['connector'];

const register = createRoute({
  operationId: 'registerConnector', method: 'post', path: '/v1/connector/register', tags, security: [],
  summary: 'Swap a join token for a connector credential (no bearer: the join token is consumed)',
  request: {
    body: jsonBody(z.strictObject({
      joinToken: z.string().min(1).max(256),
      cluster: z.strictObject({ ...Facts, connectorVersion: Text(1, 64) }),
    })),
  },
  responses: {
    200: json(z.object({
      credential: z.string(), expiresAt: z.string(),
      cluster: z.object({ tenant: z.string(), name: z.string(), uid: z.string() }),
      heartbeatIntervalSeconds: z.number().int(),
    }), 'registered'),
    ...problems(400, 401, 413),
  },
});

const heartbeat = createRoute({
  operationId: 'connectorHeartbeat', method: 'post', path: '/v1/connector/heartbeat', tags, summary: 'I am alive; what revision should I hold?',
  request: {
    body: jsonBody(z.strictObject({ ...Facts, appliedRevision: Revision.optional(), conditions: z.array(Condition).max(64).optional() })),
  },
  responses: {
    200: json(z.object({
      desiredRevision: z.number().int(), heartbeatIntervalSeconds: z.number().int(),
      credential: z.string().optional(), expiresAt: z.string().optional(),
    }), 'the desired revision, and a fresh credential when the current one nears expiry'),
    ...problems(400, 401),
  },
});

const desiredState = createRoute({
  operationId: 'getDesiredState', method: 'get', path: '/v1/connector/desired-state', tags, summary: 'The objects this cluster should hold',
  responses: {
    200: json(z.object({
      revision: z.number().int(),
      objects: z.array(z.record(z.string(), z.unknown())),
      apps: z.array(z.object({
        kind: z.enum(['App', 'Namespace']), name: z.string(), revision: z.number().int(), generation: z.number().int(),
        deletionPolicy: z.enum(['Delete', 'Orphan']),
      })).openapi({ description: 'the apps and federated namespaces the objects belong to; an object names its owner in its labels' }),
    }), 'desired state'),
    304: { description: 'If-None-Match matches the current revision' },
    ...problems(401),
  },
});

const status = createRoute({
  operationId: 'putConnectorStatus', method: 'put', path: '/v1/connector/status', tags, summary: 'Per-resource status; a lower seq than stored changes nothing',
  request: {
    body: jsonBody(z.strictObject({
      seq: z.number().int().min(0),
      revision: Revision,
      apps: z.array(z.strictObject({
        // an owner's name: an app or a federated namespace, both DNS labels
        kind: z.enum(['App', 'Namespace']).optional(), name: DnsLabel, revision: Revision,
        resources: z.array(ReportedResource).max(5000),
      })),
    })),
  },
  responses: { 204: { description: 'accepted (or ignored as stale)' }, ...problems(400, 401, 413) },
});

const identity = (c: Context<AppEnv>) => {
  const p = c.get('principal');
  if (p.kind !== 'connector') throw new Error('connector routes run behind connectorAuth');
  return p;
};

export function mountConnector(app: OpenAPIHono<AppEnv>) {
  app.openapi(register, async (c) => {
    const body = c.req.valid('json');
    const r = await registerConnector(c.get('db'), c.get('deps').keys, body.joinToken, body.cluster, c.get('deps').now());
    c.get('feed').note(r.cluster.tenantId, 'Cluster');
    return c.json({
      credential: r.credential,
      expiresAt: r.expiresAt.toISOString(),
      cluster: { tenant: r.cluster.tenantName, name: r.cluster.name, uid: r.cluster.uid },
      heartbeatIntervalSeconds: HEARTBEAT_INTERVAL_SECONDS,
    }, 200);
  });

  app.openapi(heartbeat, async (c) => {
    const who = identity(c);
    const now = c.get('deps').now();
    const cache = c.get('deps').push.clusters;
    const mark = cache?.mark();
    const { desiredRevision, pushes, tenantUid, changed } = await recordHeartbeat(c.get('db'), who, c.req.valid('json'), now, c.get('deps').heartbeats);
    // the heartbeat read the cluster as it is: the next idle poll need not
    cache?.fill(who.clusterUid, { uid: who.clusterUid, tenantId: tenantUid, generation: who.generation, desiredRevision }, mark!, Date.now());
    await publishAll(c, pushes);
    if (changed) c.get('feed').note(tenantUid, 'Cluster', 'App');
    const answer: { desiredRevision: number; heartbeatIntervalSeconds: number; credential?: string; expiresAt?: string } =
      { desiredRevision, heartbeatIntervalSeconds: HEARTBEAT_INTERVAL_SECONDS };
    if (who.expiresAt.getTime() - now.getTime() < REFRESH_BEFORE_MS) {
      const fresh = await signConnectorCredential(c.get('deps').keys, { sub: who.clusterUid, tnt: who.tenantId, gen: who.generation }, now);
      answer.credential = fresh.credential;
      answer.expiresAt = fresh.expiresAt.toISOString();
    }
    return c.json(answer, 200);
  });

  app.openapi(desiredState, async (c) => {
    // the hottest route: c.get, as c.var copies every variable on each access
    const db = c.get('db');
    const cluster = await connectorCluster(db, identity(c), c.get('deps').push.clusters);
    setResponseHeader(c, 'ETag', etagOf(cluster.desiredRevision));
    if (notModified(c.req.header('if-none-match'), cluster.desiredRevision)) return c.body(null, 304) as never;
    const body = await desiredStateBody(db, cluster.uid, cluster.desiredRevision);
    return c.body(body, 200, { 'Content-Type': 'application/json' }) as never;
  });

  app.openapi(status, async (c) => {
    const who = identity(c);
    await publishAll(c, await ingestStatus(c.get('db'), who, c.req.valid('json'), c.get('deps').now(), c.get('deps').reports));
    // a report moves resources' health on the app's page even when no phase changes
    c.get('feed').note(who.tenantId, 'App');
    return c.body(null, 204);
  });

  watchRevision(app, identity);
}
