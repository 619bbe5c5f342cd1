/**
 * `npm run bench:cluster-writes`: how a cluster write grows with the apps of
 * its tenant. The Node server (`npm start`'s entry) on a fresh migrated
 * database of the local Postgres; one tenant, one template; apps added in
 * steps, and at each step 10 clusters created (which joins them to the apps
 * that select them) and 10 apps created, one at a time, the median printed.
 * Twice: apps that do not select the new clusters, then apps that all do.
 *
 * Tunable: BENCH_CLUSTER_WRITES_STEPS (apps at each step, 0,20,100,300).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigratedDatabase } from '../test/support/postgres.js';
import { startProcess, stopProcess } from '../test/support/start-process.js';
import { appSpec, TEMPLATE_VERSION } from './faults/fixtures.js';
import { newAdminToken } from './faults/server-process.js';
import { table } from './report.js';

const steps = (process.env.BENCH_CLUSTER_WRITES_STEPS ?? '0,20,100,300').split(',').map(Number);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(selecting: boolean): Promise<string[][]> {
  const db = await createMigratedDatabase();
  const token = newAdminToken();
  const server = startProcess({ DATABASE_URL: db.url, FLEETPLANE_ADMIN_TOKEN: token, FLEETPLANE_DATA_DIR: mkdtempSync(join(tmpdir(), 'fleetplane-cw-')), FLEETPLANE_RATE_LIMIT: '0' });
  try {
    const url = `${await server.listening}/v1/tenants/acme`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const put = async (path: string, body: unknown) => {
      const started = performance.now();
      const r = await fetch(`${url}${path}`, { method: 'PUT', headers, body: JSON.stringify(body) });
      const text = await r.text();
      if (r.status >= 300) throw new Error(`PUT ${path}: ${r.status} ${text}`);
      return performance.now() - started;
    };
    await put('', { spec: { displayName: 'Acme' } });
    await put('/templates/hello', { spec: { description: 'hello', category: 'web' } });
    await put('/templates/hello/versions/1.0.0', { spec: TEMPLATE_VERSION });
    const selector = selecting ? { env: 'prod' } : { env: 'nowhere' };
    let apps = 0;
    let clusters = 0;
    const rows: string[][] = [];
    for (const step of steps) {
      while (apps < step) await put(`/apps/a${apps++}`, { spec: appSpec('v', selector) });
      const cluster: number[] = [];
      for (let i = 0; i < 10; i++) cluster.push(await put(`/clusters/c${clusters++}`, { metadata: { labels: { env: 'prod' } }, spec: {} }));
      const app: number[] = [];
      for (let i = 0; i < 10; i++) app.push(await put(`/apps/b${apps++}`, { spec: appSpec('v', selector) }));
      rows.push([selecting ? 'all of them' : 'none', String(step), median(cluster).toFixed(1), median(app).toFixed(1)]);
    }
    return rows;
  } finally {
    await stopProcess(server);
    await db.drop();
  }
}

const rows = [...(await measure(false)), ...(await measure(true))];
console.log('A cluster PUT (a new cluster labelled env=prod) and an app PUT, by apps in the tenant; medians of 10, ms');
console.log(table(['apps that select the cluster', 'apps in the tenant', 'cluster PUT', 'app PUT'], rows));
process.exit(0);
