/**
 * `npm run bench`: GET /v1/tenants/{tenant} with a viewer API token on the Node
 * server, against a bare Hono route in the same process, on the embedded
 * PGlite and on Postgres through node-postgres. Load comes from a worker thread.
 *
 * Tunable: BENCH_DURATION (s per run, 5), BENCH_ROUNDS (3), BENCH_CONNECTIONS (10), BENCH_WARMUP (s, 2).
 */
import { cpus } from 'node:os';
import { compare, type Settings } from './compare.js';
import { seedTenant } from './fixtures.js';
import { migratedDatabase } from './postgres.js';
import { render, type BackendResult } from './report.js';
import { startBare, startFleetplane, type Running } from './servers.js';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};

const settings: Settings = {
  durationSec: num('BENCH_DURATION', 5),
  warmupSec: num('BENCH_WARMUP', 2),
  rounds: num('BENCH_ROUNDS', 3),
  connections: num('BENCH_CONNECTIONS', 10),
};

// A stuck run must not hang: give up well after the expected time.
const expectedSec = 2 * (2 * settings.warmupSec + 2 * settings.rounds * settings.durationSec);
globalThis.setTimeout(() => {
  console.error(`bench: still running after ${expectedSec + 60}s, giving up`);
  process.exit(2);
}, (expectedSec + 60) * 1000).unref();

const TENANT = 'bench';

const progress = (backend: string) => (line: string) => console.error(`[${backend}] ${line}`);

async function backend(name: string, bare: Running, databaseUrl: string | undefined): Promise<BackendResult> {
  const fp = await startFleetplane(databaseUrl);
  try {
    const fixture = await seedTenant(fp.url, fp.adminToken, TENANT);
    const comparison = await compare(
      {
        bare: { url: `${bare.url}/bare`, headers: {} },
        fleetplane: { url: `${fp.url}${fixture.path}`, headers: fixture.headers },
      },
      settings,
      progress(name),
    );
    return { backend: name, comparison };
  } finally {
    await fp.close();
  }
}

async function main() {
  console.error(`node ${process.version}, ${cpus().length} CPUs; about ${expectedSec}s of load`);
  const bare = await startBare();
  const results: BackendResult[] = [];
  try {
    results.push(await backend('pglite', bare, undefined));
    const database = await migratedDatabase();
    try {
      results.push(await backend('node-postgres', bare, database.url));
    } finally {
      await database.drop();
    }
  } finally {
    await bare.close();
  }
  console.log(render(results, settings, `/v1/tenants/${TENANT}`));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
