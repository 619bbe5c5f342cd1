/**
 * Distribution latency with N connected clusters (default 100): from an app
 * PUT to "applied in the cluster" (the Deployment written in each test API
 * server) and to "status visible at the API" (the app's per-cluster status at
 * the new revision). N connectors run in this process (connectors/simulate.ts),
 * each against its own test API server; the control plane is the Node server
 * on the embedded database. Prints p50 / p99 over every cluster of every round.
 *
 *   npx tsx bench/connector-distribution.ts [--clusters 100] [--rounds 5] [--postgres]
 * (--postgres: the machine's Postgres, a fresh migrated database, instead of the embedded one)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../connectors/simulate.js';
import { parseEnv } from '../worker/env.js';
import { startNodeServer } from '../worker/node/server.js';
import { startKubeServer } from '../test/kube/server.js';
import { createMigratedDatabase } from '../test/support/postgres.js';

const arg = (name: string, d: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] || d);
const CLUSTERS = arg('clusters', 100);
const ROUNDS = arg('rounds', 5);
const ADMIN = `fp_${'d'.repeat(43)}`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-distribution-'));
  const database = process.argv.includes('--postgres') ? await createMigratedDatabase() : undefined;
  const cp = await startNodeServer(parseEnv({
    PORT: '0', FLEETPLANE_DATA_DIR: dir, FLEETPLANE_ADMIN_TOKEN: ADMIN, FLEETPLANE_RATE_LIMIT: '0', FLEETPLANE_CONNECTOR_RATE_LIMIT: '0', FLEETPLANE_AUTH_FAILURE_LIMIT: '0', ...(database ? { DATABASE_URL: database.url } : {}),
  }));
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${cp.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const b = await r.json().catch(() => undefined);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(b)}`);
    return b as any;
  };
  const servers = await Promise.all(Array.from({ length: CLUSTERS }, () => startKubeServer({ bookmarkIntervalMs: 60_000 })));
  await api('PUT', '/v1/tenants/bench', { spec: { displayName: 'bench' } });
  const tokens: string[] = [];
  for (let i = 0; i < CLUSTERS; i++) {
    await api('PUT', `/v1/tenants/bench/clusters/c${i}`, { metadata: { labels: { fleet: 'bench' } }, spec: {} });
    tokens.push((await api('POST', `/v1/tenants/bench/clusters/c${i}/join-tokens`, {})).token);
  }
  const sim = await simulate({ url: cp.url, joinTokens: tokens, kubeconfigs: servers.map((s) => s.kubeconfig()), reportDebounceMs: 20 });
  const applied: number[] = [];
  const visible: number[] = [];
  const putMs: number[] = [];
  try {
    const deadline = Date.now() + 120_000;
    while (sim.ready() < CLUSTERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (sim.ready() < CLUSTERS) throw new Error(`only ${sim.ready()} of ${CLUSTERS} connectors are ready`);
    for (let round = 1; round <= ROUNDS; round++) {
      const replicas = round + 1;
      const seen = new Map<number, number>();
      const stops = servers.map((s, i) => s.kubeStore.onChange((c) => {
        if (c.object?.kind === 'Deployment' && c.object.spec?.replicas === replicas && !seen.has(i)) seen.set(i, performance.now());
      }));
      const t0 = performance.now();
      const put = await api('PUT', '/v1/tenants/bench/apps/web', {
        spec: { template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'web', values: { replicas }, placement: { selector: { matchLabels: { fleet: 'bench' } } } },
      });
      const generation = put.metadata.generation;
      putMs.push(performance.now() - t0);
      const shown = new Map<string, number>();
      while (shown.size < CLUSTERS && performance.now() - t0 < 60_000) {
        const s = (await api('GET', '/v1/tenants/bench/apps/web')).status;
        const now = performance.now();
        for (const c of s.clusters ?? []) {
          // the cluster reported the newest revision (any health: "status visible", not "Ready")
          if (!shown.has(c.name) && c.phase !== 'Pending' && c.revision >= generation) shown.set(c.name, now);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      stops.forEach((stop) => stop());
      for (const t of seen.values()) applied.push(t - t0);
      for (const t of shown.values()) visible.push(t - t0);
      console.log(`round ${round}: applied in ${seen.size}/${CLUSTERS}, status visible for ${shown.size}/${CLUSTERS}`);
    }
    const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms (n=${xs.length})`;
    console.log(`clusters: ${CLUSTERS}, rounds: ${ROUNDS}, database: ${database ? 'postgres' : 'embedded (PGlite)'}`);
    console.log(`app PUT answered (render for every cluster): ${fmt(putMs)}`);
    console.log(`app PUT → applied in the cluster:      ${fmt(applied)}`);
    console.log(`app PUT → status visible at the API:   ${fmt(visible)}`);
  } finally {
    await sim.stop();
    for (const s of servers) await s.close();
    await cp.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
