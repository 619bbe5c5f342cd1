import { createAdaptorServer, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import cluster from 'node:cluster';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { sharedDb, type Db } from '../../db/client.js';
import { openNodePostgres } from '../../db/node-postgres.js';
import { openPglite } from '../../db/pglite.js';
import { createApp } from '../app.js';
import { oidcVerifier } from '../auth/oidc.js';
import { loadSigningKeys } from '../auth/signing-keys.js';
import { oidcLoginOf, type Config } from '../env.js';
import { sha256Hex } from '../lib/crypto.js';
import { ApiError, problemBody } from '../lib/problem.js';
import { answeredOn } from '../lib/response-header.js';
import { unpark } from '../lib/parked.js';
import type { Push } from '../push/push.js';
import { adminTokenFromDataDir, signingKeyFromDataDir } from './data-dir.js';
import { NodePush } from './node-push.js';
import { NodeGatewayPeers } from './gateway-peers.js';
import { PgPush } from './pg-push.js';
import { isLongPoll, MAX_INFLIGHT, overloaded } from './shed.js';
import { createClosingHttpsServer, createClosingServer } from './unread-body.js';
import type { TlsFiles } from './tls.js';
import { RenderPool } from './render-pool/pool.js';
import { startScheduledTimer, type ScheduledTimerOptions } from '../scheduled/timer.js';
import type { Transport } from '../webhooks/transport.js';
import type { Resolve } from '../webhooks/url-policy.js';
import { dnsResolve } from './dns-resolve.js';
import { DeliveryLoop } from './webhook-loop.js';
import { pinnedTransport } from './webhook-transport.js';

/** the kernel caps it (net.core.somaxconn, 4096 on most current Linux) */
const LISTEN_BACKLOG = 4096;

export interface RunningServer {
  url: string;
  server: ServerType;
  /** set when this start generated the platform admin token */
  generatedAdminToken: string | undefined;
  /** this replica's webhook sender */
  deliveries: DeliveryLoop;
  /** how this replica wakes connectors (and keeps their clusters cached) */
  push: Push;
  close(): Promise<void>;
}

/**
 * Opens the database: the embedded PGlite (migrated on start; one process, so
 * in-process push suffices) or Postgres at DATABASE_URL (push also over LISTEN/NOTIFY).
 */
async function openDatabase(config: Config): Promise<{ db: Db; push: Push; local: NodePush; shared: boolean; close: () => Promise<void> }> {
  const local = new NodePush();
  if (config.databaseUrl) {
    const { db, pool } = openNodePostgres(config.databaseUrl, 10, config.queryTimeoutMs);
    const push = new PgPush(local, pool);
    await push.listen();
    return { db, push, local, shared: true, close: async () => { push.close(); await pool.end(); } };
  }
  const pg = await openPglite(join(config.dataDir, 'pgdata'));
  await pg.migrate();
  return { db: pg.db, push: local, local, shared: false, close: () => pg.client.close() };
}

/**
 * Node hands every request that asks to switch protocols to the 'upgrade'
 * listeners; @hono/node-server's takes WebSockets and returns on anything else,
 * so a SPDY upgrade (kubectl exec, port-forward) hung its connection. Those are
 * refused here; WebSockets go on to it (it counts on being the only listener).
 */
function refuseOtherUpgrades(server: ServerType) {
  const websockets = server.listeners('upgrade') as ((req: IncomingMessage, socket: Duplex, head: Buffer) => void)[];
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.headers.upgrade?.toLowerCase() === 'websocket') return websockets.forEach((l) => l(req, socket, head));
    const body = JSON.stringify(problemBody(new ApiError(400, 'upgrade_not_supported',
      `this server does not switch to ${req.headers.upgrade ?? 'another protocol'}: exec, attach and port-forward are not carried`), ''));
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

const withPort = (url: string, port: number) => {
  const u = new URL(url);
  u.port = String(port);
  return u.origin;
};

export interface NodeServerOptions {
  /** the scheduled work's timer (tests make it fast, or give it their own jobs) */
  scheduled?: ScheduledTimerOptions;
  /** tests: their clock, and how webhook hosts resolve and how long an answer is awaited */
  now?: () => Date;
  webhooks?: { resolve?: Resolve; timeoutMs?: number; transport?: Transport };
  /** serve HTTPS with this certificate and key */
  tls?: TlsFiles;
}

export async function startNodeServer(config: Config, host = '127.0.0.1', options: NodeServerOptions = {}): Promise<RunningServer> {
  const signingKey = config.signingKey ?? (await signingKeyFromDataDir(config.dataDir));
  const admin = config.adminToken
    ? { hash: await sha256Hex(config.adminToken), generated: undefined }
    : config.adminTokenSha256
      ? { hash: config.adminTokenSha256, generated: undefined }
      : await adminTokenFromDataDir(config.dataDir);
  const database = await openDatabase(config);
  // replicas share Postgres: record which one holds each connector's socket, so gateway requests find it
  const peers = database.shared ? new NodeGatewayPeers(database.db, signingKey) : undefined;
  if (peers) database.local.tunnelHooks = { opened: (uid) => peers.claim(uid), closed: (uid, epoch) => peers.release(uid, epoch) };
  const renderer = new RenderPool();
  await renderer.prepare();
  const now = options.now ?? (() => new Date());
  const policy = { allowPrivate: config.webhookAllowPrivate, resolve: options.webhooks?.resolve ?? dnsResolve };
  const deliveries = new DeliveryLoop({
    db: database.db, now, policy,
    transport: options.webhooks?.transport ?? pinnedTransport,
    ...(options.webhooks?.timeoutMs ? { timeoutMs: options.webhooks.timeoutMs } : {}),
  });
  const app = createApp({
    db: sharedDb(database.db),
    keys: await loadSigningKeys(signingKey),
    adminTokenHash: admin.hash,
    oidc: config.oidc ? oidcVerifier(config.oidc) : undefined,
    oidcLogin: oidcLoginOf(config),
    publicUrl: config.publicUrl,
    limits: config.limits,
    // the socket's address: a header could be set by anyone (a proxy in front makes every caller one source)
    sourceOf: (c) => getConnInfo(c).remote.address ?? 'unknown',
    now,
    push: database.push,
    renderer,
    webhooks: { ...policy, enqueued: async () => deliveries.wake() },
    gatewayPeers: peers,
    parks: true,
  });
  // Requests still running (even for clients that left) must finish before the database closes.
  let inflight = 0;
  let drained: (() => void) | undefined;
  let admitted = 0;
  const fetch = async (req: Request, env: unknown) => {
    const counted = !isLongPoll(req);
    if (counted && admitted >= MAX_INFLIGHT) return overloaded();
    if (counted) admitted++;
    inflight++;
    const outgoing = (env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (outgoing) answeredOn(req, outgoing);
    try {
      return await unpark(req, await app.fetch(req, env));
    } finally {
      if (counted) admitted--;
      if (--inflight === 0) drained?.();
    }
  };
  const serve = async (listen: { port: number; exclusive?: boolean }) => {
    const server = createAdaptorServer({
      fetch,
      ...(options.tls ? { createServer: createClosingHttpsServer, serverOptions: options.tls } : { createServer: createClosingServer }),
      websocket: { server: new WebSocketServer({ noServer: true }) },
    });
    refuseOtherUpgrades(server);
    // A fleet reconnecting at once overflowed Node's default accept queue (511): dropped
    // connection attempts waited out TCP's retransmission backoff, seen as hangs.
    await new Promise<void>((resolve) => server.listen({ ...listen, host, backlog: LISTEN_BACKLOG }, resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : listen.port;
    return { server, port, url: `${options.tls ? 'https' : 'http'}://${host}:${port}` };
  };
  const { server, url } = await serve({ port: config.port });
  // Processes of one node:cluster share the port, behind which any of them may answer: the one that holds a
  // connector's tunnel is reached by the others on a port of its own (FLEETPLANE_PROCESSES, processes.ts),
  // at the replica URL's host when one is set.
  const own = peers && cluster.isWorker ? await serve({ port: 0, exclusive: true }) : undefined;
  const servers = own ? [server, own.server] : [server];
  if (peers) peers.url = own ? withPort(config.replicaUrl ?? own.url, own.port) : config.replicaUrl ?? url;
  const scheduled = startScheduledTimer(database.db, { push: database.push, onEnqueued: () => deliveries.wake(), ...options.scheduled });
  deliveries.wake(); // what was due when this replica started (e.g. across a restart)
  return {
    url,
    server,
    generatedAdminToken: admin.generated,
    deliveries,
    push: database.push,
    close: async () => {
      const stopped = scheduled.stop();
      const sent = deliveries.stop();
      const closed = Promise.all(servers.map((one) => new Promise((r) => one.close(r))));
      for (const one of servers) (one as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      if (inflight > 0) await new Promise<void>((r) => (drained = r));
      await closed;
      await stopped;
      await sent;
      await renderer.close();
      await database.close();
    },
  };
}
