/**
 * `npm run bench:dev-worker`: what `npm run dev:worker` costs, start to stop,
 * on a fresh database of the machine's Postgres: until it prints where it
 * listens, its first answer (the app built in workerd, a tenant written
 * through the Neon driver), and until every process it started is gone.
 * `RUNS=5` for more runs.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { startDevWorker } from '../test/support/dev-worker.js';
import { createMigratedDatabase } from '../test/support/postgres.js';

const runs = Number(process.env.RUNS ?? 3);
const token = `fp_${randomBytes(32).toString('base64url')}`;
const database = await createMigratedDatabase();
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`npm run dev:worker, ${runs} runs, load ${load()}`);
try {
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const worker = await startDevWorker({ DATABASE_URL: database.url, FLEETPLANE_ADMIN_TOKEN: token });
    const t1 = performance.now();
    const put = await fetch(`${worker.url}/v1/tenants/bench-${i}`, {
      method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ spec: { displayName: 'bench' } }),
    });
    if (put.status !== 201) throw new Error(`PUT tenant: ${put.status} ${await put.text()}`);
    const t2 = performance.now();
    await worker.stop();
    const t3 = performance.now();
    const ms = (a: number, b: number) => `${Math.round(b - a)} ms`.padStart(8);
    console.log(`run ${i + 1}: listening after ${ms(t0, t1)}, first PUT ${ms(t1, t2)}, stopped in ${ms(t2, t3)}`);
  }
  console.log(`load at the end ${load()}`);
} finally {
  await database.drop();
}
