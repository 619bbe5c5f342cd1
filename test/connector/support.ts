import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Agent } from '../../connectors/agent.js';
import { SecretCredentialStore } from '../../connectors/credential-store.js';
import { KubeClient } from '../../connectors/kube/client.js';
import { kubeConfigFromText } from '../../connectors/kube/kubeconfig.js';
import { jsonLog, silentLog, type Log } from '../../connectors/log.js';
import { createMetrics } from '../../connectors/metrics.js';
import { parseEnv } from '../../worker/env.js';
import { startNodeServer, type NodeServerOptions, type RunningServer } from '../../worker/node/server.js';
import { startKubeServer } from '../kube/server.js';
import { driverUnderTest } from '../support/database.js';
import { createMigratedDatabase } from '../support/postgres.js';

export const ADMIN = `fp_${'c'.repeat(43)}`;

/** Calls to a control plane at `url`, as the admin by default: the answer's status and parsed body. */
export function controlPlaneApi(url: string) {
  return async (method: string, path: string, body?: unknown, token = ADMIN) => {
    const res = await fetch(`${url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { /* text */ }
    return { status: res.status, headers: res.headers, body: parsed };
  };
}

/** The real control plane on a real port, restartable on the same port and data directory. */
export async function startControlPlane(extra: Record<string, string> = {}, options: NodeServerOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-connector-'));
  // the postgres project runs it on the machine's Postgres (a fresh, migrated database); else the embedded PGlite
  const database = driverUnderTest() === 'pg' ? await createMigratedDatabase() : undefined;
  const env = (port: number) => parseEnv({
    PORT: String(port), FLEETPLANE_DATA_DIR: dir, FLEETPLANE_ADMIN_TOKEN: ADMIN, FLEETPLANE_RATE_LIMIT: '0', FLEETPLANE_CONNECTOR_RATE_LIMIT: '0', FLEETPLANE_AUTH_FAILURE_LIMIT: '0',
    ...(database ? { DATABASE_URL: database.url } : {}), ...extra,
  });
  const sockets = new Set<import('node:net').Socket>();
  const track = (s: RunningServer) => {
    s.server.on('connection', (sock: import('node:net').Socket) => {
      sockets.add(sock);
      sock.once('close', () => sockets.delete(sock));
    });
    return s;
  };
  let server: RunningServer | undefined = track(await startNodeServer(env(0), '127.0.0.1', options));
  const port = Number(new URL(server.url).port);
  const url = server.url;
  const api = controlPlaneApi(url);
  return {
    url, api,
    /** Gone at once, as a crashed or unreachable control plane: open sockets (watches) are cut. */
    async stop() {
      const closing = server?.close();
      for (const s of sockets) s.destroy();
      await closing;
      server = undefined;
    },
    async start() {
      server = track(await startNodeServer(env(port), '127.0.0.1', options));
    },
    async close() {
      const closing = server?.close();
      for (const s of sockets) s.destroy();
      await closing;
      await database?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
export type ControlPlaneUnderTest = Awaited<ReturnType<typeof startControlPlane>>;

/**
 * A cluster created at the API and its install manifest fetched; what
 * `kubectl apply -f install.yaml` does is done by hand in the fake cluster:
 * the namespace and the Secret with the join token.
 */
export async function installCluster(cp: Pick<ControlPlaneUnderTest, 'url' | 'api'>, kube: KubeClient, tenant: string, cluster: string) {
  await cp.api('PUT', `/v1/tenants/${tenant}`, { spec: { displayName: tenant } });
  const put = await cp.api('PUT', `/v1/tenants/${tenant}/clusters/${cluster}`, { metadata: { labels: { env: 'test' } }, spec: {} });
  if (put.status !== 201 && put.status !== 200) throw new Error(`cluster: ${put.status} ${JSON.stringify(put.body)}`);
  const jt = await cp.api('POST', `/v1/tenants/${tenant}/clusters/${cluster}/join-tokens`, {});
  return applyInstallManifest(cp.url, kube, jt.body.installUrl);
}

/**
 * What `kubectl apply -f URL` does with the install manifest, done by hand in the
 * fake cluster (the namespace and the Secret with the join token); answers the
 * Secret's values and the connector Deployment's environment.
 */
export async function applyInstallManifest(controlPlaneUrl: string, kube: KubeClient, installUrl: string) {
  const manifest = await (await fetch(installUrl.replace(/^https?:\/\/[^/]+/, controlPlaneUrl))).text();
  const docs = parseAllDocuments(manifest).map((d) => d.toJSON());
  const ns = docs.find((d) => d.kind === 'Namespace');
  const secret = docs.find((d) => d.kind === 'Secret');
  const deployment = docs.find((d) => d.kind === 'Deployment');
  // as `kubectl apply --server-side` would: its own field manager
  await kube.apply(ns, true, 'kubectl');
  await kube.apply(secret, true, 'kubectl');
  const env = Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
  return { values: secret.stringData as Record<string, string>, env: env as Record<string, string>, docs };
}

/** The fake API server and a client of ours for it. */
export async function startCluster(opts: Parameters<typeof startKubeServer>[0] = {}) {
  const server = await startKubeServer(opts);
  const kube = new KubeClient(kubeConfigFromText(server.kubeconfig()));
  return { server, kube, close: async () => { kube.close(); await server.close(); } };
}

export function startAgent(o: { url: string; joinToken?: string; kube: KubeClient; namespace?: string; secretName?: string; log?: Log; resyncSeconds?: number }) {
  const namespace = o.namespace ?? 'fleetplane-system';
  const metrics = createMetrics();
  const agent = new Agent({
    url: o.url, joinToken: o.joinToken, namespace, kube: o.kube, metrics, log: o.log ?? (process.env.FP_TEST_TRACE ? jsonLog({ test: true }) : silentLog),
    store: new SecretCredentialStore(o.kube, namespace, o.secretName ?? 'fleetplane-connector'), resyncSeconds: o.resyncSeconds ?? 300, reportDebounceMs: 50,
  });
  const running = agent.run();
  return { agent, metrics, running };
}

export async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  const started = Date.now();
  if (process.env.FP_TEST_TRACE) process.stderr.write(`waiting: ${what}\n`);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) {
        if (process.env.FP_TEST_TRACE) process.stderr.write(`  ${what}: ${Date.now() - started} ms\n`);
        return v as NonNullable<T>;
      }
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A control plane whose scheduled work runs every 200 ms (progress deadlines
 * in seconds, not minutes) and one API server with its connector per cluster,
 * each labelled `env: test` and, where given, `ring: <ring>`.
 */
export async function startRings<N extends string>(rings: Record<N, string | undefined>, cluster: Parameters<typeof startKubeServer>[0]) {
  const cp = await startControlPlane({}, { scheduled: { everyMs: 200 } });
  const kubes = {} as Record<N, Awaited<ReturnType<typeof startCluster>>>;
  const agents: ReturnType<typeof startAgent>[] = [];
  for (const [name, ring] of Object.entries(rings) as [N, string | undefined][]) {
    kubes[name] = await startCluster(cluster);
    const install = await installCluster(cp, kubes[name].kube, 'acme', name);
    const put = await cp.api('PUT', `/v1/tenants/acme/clusters/${name}`, { metadata: { labels: { env: 'test', ...(ring ? { ring } : {}) } }, spec: {} });
    if (put.status !== 200) throw new Error(`labelling ${name}: ${put.status}`);
    agents.push(startAgent({
      url: cp.url, joinToken: install.values.FLEETPLANE_JOIN_TOKEN, kube: kubes[name].kube,
      namespace: install.env.FLEETPLANE_NAMESPACE, secretName: install.env.FLEETPLANE_SECRET_NAME,
    }));
  }
  return {
    cp, kubes,
    async close() {
      for (const a of agents) await a.agent.close();
      for (const k of Object.values(kubes) as { close(): Promise<void> }[]) await k.close();
      await cp.close();
    },
  };
}
