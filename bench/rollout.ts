/**
 * BENCH_ONLY=rollout (also part of `all`): how soon a progressive rollout's
 * next wave is served once its canary reports Healthy. The Node server on
 * Postgres (a fresh migrated database); BENCH_ROLLOUT_CLUSTERS clusters
 * (default 200), one of them the canary (wave 1), the rest the last wave. Each
 * round PUTs a new generation, then a connector of the last wave long-polls
 * `/v1/connector/watch` while the canary's status report is sent; measured
 * from the report's start: its 204, the watch waking, and the new desired
 * state fetched (what a connector does next). BENCH_ROLLOUT_ROUNDS (default 30).
 */
import { cpus, loadavg } from 'node:os';
import { call, expectStatus } from './fixtures.js';
import { withSeededFleet, type SeededCluster } from './fleet-seed.js';
import { table } from './report.js';
import { startFleetplane } from './servers.js';
import { percentile } from './stats.js';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};

async function connector(url: string, c: SeededCluster, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${c.credential}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, text, etag: res.headers.get('etag') };
}

const desired = async (url: string, c: SeededCluster) => {
  const r = await connector(url, c, 'GET', '/v1/connector/desired-state');
  if (r.status !== 200) throw new Error(`desired-state: ${r.status} ${r.text.slice(0, 200)}`);
  return JSON.parse(r.text) as { revision: number; apps: { name: string; revision: number }[] };
};

interface Round { report: number; woken: number; served: number }

async function measure(url: string, admin: string, canary: SeededCluster, last: SeededCluster, round: number): Promise<Round> {
  await expectStatus(round === 0 ? 201 : 200, 'PUT app', call(url, 'PUT', '/v1/tenants/fleet/apps/web', admin, { spec: spec(round + 2) }));
  const released = (await desired(url, canary)).apps.find((a) => a.name === 'web')!.revision;
  const before = (await desired(url, last)).revision;
  const resources = Array.from({ length: 20 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: `r${i}`, health: 'Healthy' }));
  const watch = connector(url, last, 'GET', `/v1/connector/watch?revision=${before}`).then(() => performance.now());
  await new Promise((r) => setTimeout(r, 20)); // the long poll is waiting before the report goes
  const t0 = performance.now();
  const report = await connector(url, canary, 'PUT', '/v1/connector/status', { seq: round + 1, revision: 0, apps: [{ name: 'web', revision: released, resources }] });
  if (report.status !== 204) throw new Error(`status report: ${report.status} ${report.text.slice(0, 200)}`);
  const t1 = performance.now();
  const woken = await watch;
  const served = await desired(url, last);
  const t2 = performance.now();
  if (served.apps.find((a) => a.name === 'web')?.revision !== released) throw new Error('the last wave was not served the new revision');
  return { report: t1 - t0, woken: woken - t0, served: t2 - t0 };
}

const spec = (replicas: number) => ({
  template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'web', values: { replicas },
  placement: { selector: {} },
  rollout: { strategy: 'Progressive', waves: [{ matchLabels: { ring: 'canary' } }] },
});

export async function rolloutPart(only: string) {
  if (only !== 'rollout' && only !== 'all') return;
  const clusters = int('BENCH_ROLLOUT_CLUSTERS', 200);
  const rounds = int('BENCH_ROLLOUT_ROUNDS', 30);
  console.error(`rollout: canary Healthy → next wave served, ${clusters} clusters, ${rounds} rounds, on ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`);
  await withSeededFleet(clusters, startFleetplane, undefined, async ({ fp, fleet }) => {
    const [canary, last] = [fleet.clusters[0]!, fleet.clusters.at(-1)!];
    await fleet.sql.query(`update clusters set labels = '{"ring":"canary"}'::json where uid = $1`, [canary.uid]);
    const results: Round[] = [];
    for (let i = 0; i < rounds; i++) results.push(await measure(fp.url, fp.adminToken, canary, last, i));
    const row = (name: string, pick: (r: Round) => number) => {
      const v = Float64Array.from(results.map(pick)).sort();
      return [name, percentile(v, 50).toFixed(1), percentile(v, 99).toFixed(1), v[v.length - 1]!.toFixed(1)];
    };
    console.log(`## Progressive rollout: canary Healthy → next wave served (${clusters} clusters, ${rounds} rounds, Postgres)\n`);
    console.log(table(['from the canary report sent, ms', 'p50', 'p99', 'max'], [
      row('report answered (next wave released in its transaction)', (r) => r.report),
      row('a last-wave connector woken (watch returns)', (r) => r.woken),
      row('its new desired state fetched', (r) => r.served),
    ]));
    console.log('');
  });
  if (only === 'rollout') process.exit(0);
}
