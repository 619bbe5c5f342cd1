/**
 * `npm run bench`: GET /v1/tenants/{tenant} with a viewer API token on the Node
 * server, against a bare Hono route in the same process, on the embedded
 * PGlite and on Postgres through node-postgres; then the fleet measurements
 * (bench/fleet.ts). Load comes from worker threads.
 *
 * BENCH_ONLY=tenant|fleet runs one part (default both); fanout, distribution, status, rollout and webhooks
 * (bench/fanout.ts, bench/distribution.ts, bench/status.ts, bench/rollout.ts, bench/webhooks.ts) run alone with BENCH_ONLY set to
 * their name (or the name as the argument: `npm run bench -- status`), first with `all`.
 * Tunable: BENCH_DURATION (s per run, 5), BENCH_ROUNDS (3), BENCH_CONNECTIONS (10), BENCH_WARMUP (s, 2);
 * the fleet part's in bench/fleet.ts.
 */
import { cpus } from 'node:os';
import { compare, type Settings } from './compare.js';
import { seedTenant } from './fixtures.js';
import { fleetLoadSec, fleetSettings, runFleet } from './fleet.js';
import { pgbenchPath } from './pgbench.js';
import { createMigratedDatabase } from '../test/support/postgres.js';
import { render, type BackendResult } from './report.js';
import { recordRatio, renderTargets } from './targets.js';
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

const only = process.env.BENCH_ONLY ?? process.argv[2] ?? 'all';
await (await import('./fanout.js')).fanoutPart(only); // BENCH_ONLY=fanout: that part alone (bench/fanout.ts); all: it first
await (await import('./distribution.js')).distributionPart(only); // BENCH_ONLY=distribution: that part alone (bench/distribution.ts); all: after fan-out
await (await import('./status.js')).statusPart(only); // BENCH_ONLY=status: that part alone (bench/status.ts); all: after distribution
await (await import('./rollout.js')).rolloutPart(only); // BENCH_ONLY=rollout: that part alone (bench/rollout.ts); all: after status
await (await import('./webhooks.js')).webhooksPart(only); // BENCH_ONLY=webhooks: that part alone (bench/webhooks.ts); all: after rollout
if (!['all', 'tenant', 'fleet'].includes(only)) throw new Error('BENCH_ONLY must be fanout, distribution, status, rollout, webhooks, tenant, fleet or all');
const fleet = fleetSettings(num);
if (only !== 'tenant') pgbenchPath(); // fail now, not after the tenant part, when pgbench is missing

// A stuck run must not hang: give up well after the expected time.
const tenantSec = only === 'fleet' ? 0 : 2 * (2 * settings.warmupSec + 2 * settings.rounds * settings.durationSec);
const fleetSec = only === 'tenant' ? 0 : fleetLoadSec(fleet);
const expectedSec = tenantSec + fleetSec;
const slackSec = 60 + (only === 'tenant' ? 0 : 60);
globalThis.setTimeout(() => {
  console.error(`bench: still running after ${expectedSec + slackSec}s, giving up`);
  process.exit(2);
}, (expectedSec + slackSec) * 1000).unref();

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
  try {
    if (only !== 'fleet') console.log(`${await tenant(bare)}\n`);
    if (only !== 'tenant') console.log(await runFleet(bare, fleet, progress('fleet')));
  } finally {
    await bare.close();
  }
  console.log(renderTargets());
}

async function tenant(bare: Running): Promise<string> {
  const results: BackendResult[] = [];
  results.push(await backend('pglite', bare, undefined));
  recordRatio('GET one tenant, PGlite', results[0]!.comparison, 0.15);
  const database = await createMigratedDatabase();
  try {
    results.push(await backend('node-postgres', bare, database.url));
    recordRatio('GET one tenant, Postgres', results[1]!.comparison, 0.4);
  } finally {
    await database.drop();
  }
  return `== GET /v1/tenants/${TENANT} ==\n\n${render(results, settings, `/v1/tenants/${TENANT}`)}`;
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
