/**
 * Reading an app on a large fleet: GET /v1/tenants/{t}/apps/{app} of one app
 * placed on every cluster, each cluster having reported the app's 20
 * resources, asked one request at a time (the latency a user or the console
 * sees), after a check that the answer counts every cluster Ready.
 */
import { call, expectStatus } from './fixtures.js';
import { reportedApps } from './status-ingest.js';
import { percentile } from './stats.js';
import { WEB_VERSION } from '../test/support/apps.js';

export const APP = 'web';
export const LABELS = { fleet: 'status' };

export interface AppGetResult {
  backend: string;
  clusters: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  bodyBytes: number;
}

/** `fn` over `items`, `concurrency` at a time. */
export async function inTurn<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

/** Template web@1.0.0 and the app on every cluster labelled fleet=status; returns the app's revision. */
export async function putApp(url: string, adminToken: string, tenant: string): Promise<number> {
  const base = `/v1/tenants/${tenant}`;
  await expectStatus(201, 'PUT template', call(url, 'PUT', `${base}/templates/web`, adminToken, { spec: { description: 'web', category: 'web' } }));
  await expectStatus(201, 'PUT template version', call(url, 'PUT', `${base}/templates/web/versions/1.0.0`, adminToken, { spec: WEB_VERSION }));
  const spec = { template: { name: 'web', version: '1.0.0' }, namespace: 'shop', values: { replicas: 2 }, placement: { selector: { matchLabels: LABELS } } };
  const text = await expectStatus(201, `PUT app ${APP}`, call(url, 'PUT', `${base}/apps/${APP}`, adminToken, { spec }));
  return (JSON.parse(text) as { status: { revision: number } }).status.revision;
}

/** Every cluster reports the app's 20 resources Healthy at its revision, through the API. */
export async function reportAll(url: string, credentials: string[], revision: number) {
  const seq = Date.now() * 1000; // above any seq stored before (see bench/status-ingest.ts)
  const body = { seq, revision: 0, apps: reportedApps(APP, revision) };
  await inTurn(credentials, 16, async (credential) => {
    await expectStatus(204, 'PUT /v1/connector/status', call(url, 'PUT', '/v1/connector/status', credential, body));
  });
}

/**
 * Clusters registered the way connectors do (create, join token, register,
 * heartbeat): for a database the bench cannot write to directly (the
 * embedded PGlite inside the server's process). Returns their credentials.
 */
export async function registerClusters(url: string, adminToken: string, tenant: string, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `c-${String(i + 1).padStart(5, '0')}`);
  const credentials: string[] = [];
  const facts = { kubernetesVersion: 'v1.31.0', nodeCount: 3 };
  await inTurn(names, 8, async (name, i) => {
    const path = `/v1/tenants/${tenant}/clusters/${name}`;
    await expectStatus(201, `PUT ${path}`, call(url, 'PUT', path, adminToken, { metadata: { labels: LABELS }, spec: {} }));
    const jt = JSON.parse(await expectStatus(201, 'join token', call(url, 'POST', `${path}/join-tokens`, adminToken, {}))) as { token: string };
    // no Authorization header: the join token in the body is the secret
    const reg = await fetch(`${url}/v1/connector/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ joinToken: jt.token, cluster: { ...facts, connectorVersion: '0.1.0' } }),
    });
    if (reg.status !== 200) throw new Error(`register ${name}: ${reg.status} ${await reg.text()}`);
    credentials[i] = ((await reg.json()) as { credential: string }).credential;
  });
  return credentials;
}

/** A heartbeat from every cluster, through the API: Ready for the next 40 s. */
export async function heartbeatAll(url: string, credentials: string[]) {
  const facts = { kubernetesVersion: 'v1.31.0', nodeCount: 3 };
  await inTurn(credentials, 16, async (credential) => {
    await expectStatus(200, 'heartbeat', call(url, 'POST', '/v1/connector/heartbeat', credential, facts));
  });
}

/** A viewer token of the tenant: the GETs go the way a user's do. */
export async function viewerToken(url: string, adminToken: string, tenant: string) {
  const text = await expectStatus(201, 'POST tokens', call(url, 'POST', `/v1/tenants/${tenant}/tokens`, adminToken, { spec: { role: 'viewer', description: 'status bench' } }));
  return (JSON.parse(text) as { token: string }).token;
}

/** Clusters fall Unknown 40 s after their last heartbeat: the heartbeats are renewed (untimed) this often. */
const FRESH_MS = 20_000;

/**
 * `requests` GETs one after another (after `warmup` unmeasured), each answer
 * checked: every cluster counted and Ready. `keepFresh` renews the clusters'
 * heartbeats before the first and then every 20 s, between requests.
 */
export async function measureAppGet(
  backend: string, url: string, token: string, tenant: string, clusters: number, requests: number, keepFresh: () => Promise<void>, warmup = 20,
): Promise<AppGetResult> {
  const path = `/v1/tenants/${tenant}/apps/${APP}`;
  const ms: number[] = [];
  let bodyBytes = 0;
  let freshAt = -Infinity;
  for (let i = 0; i < warmup + requests; i++) {
    if (performance.now() - freshAt > FRESH_MS) {
      freshAt = performance.now(); // from the first heartbeat sent
      await keepFresh();
    }
    const started = performance.now();
    const text = await expectStatus(200, `GET ${path}`, call(url, 'GET', path, token));
    const took = performance.now() - started;
    const { summary, clusters: shown } = (JSON.parse(text) as { status: { summary: { clusters: number; ready: number }; clusters: { resources: unknown[] }[] } }).status;
    if (summary.clusters !== clusters || summary.ready !== clusters || shown.some((c) => c.resources.length !== 20)) {
      throw new Error(`GET ${path}: expected ${clusters} clusters Ready with 20 resources each, got ${JSON.stringify(summary)}`);
    }
    bodyBytes = Buffer.byteLength(text);
    if (i >= warmup) ms.push(took);
  }
  const sorted = Float64Array.from(ms).sort();
  return { backend, clusters, requests, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)!, bodyBytes };
}
