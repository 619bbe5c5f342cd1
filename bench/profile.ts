/**
 * `npm run bench:profile`: where the server's CPU goes on the hot paths. The
 * Node server runs in a process of its own with `--cpu-prof` on a fresh
 * Postgres database with a seeded fleet; a load worker drives one path at a
 * time, closed loop; then the profile (written when the server exits) is
 * summed up: self time by function and by package, heaviest first. One
 * profile per path, as `.cpuprofile` files (open them in Chrome's DevTools or
 * speedscope) in BENCH_PROFILE_DIR (default a temp directory, printed).
 *
 * Paths: heartbeat (POST /v1/connector/heartbeat), idle (GET desired-state ->
 * 304), tenant (GET /v1/tenants/{t} with a viewer token), tenant-pglite (the
 * same on the embedded PGlite). BENCH_PROFILE_PATHS
 * picks some (comma-separated); BENCH_PROFILE_SECONDS (8) of load each, from
 * BENCH_PROFILE_CONNECTIONS (10) connections over BENCH_PROFILE_CLUSTERS (2000).
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedTenant } from './fixtures.js';
import { currentRevisions, withSeededFleet } from './fleet-seed.js';
import { HEARTBEAT_BODY } from './heartbeats.js';
import { load, type LoadRequest } from './load.js';
import { summarizeProfile } from './profile-summary.js';
import { spawnFleetplane } from './servers.js';

const PATHS = ['heartbeat', 'idle', 'tenant', 'tenant-pglite'] as const;
type Path = (typeof PATHS)[number];
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const paths = (process.env.BENCH_PROFILE_PATHS ?? PATHS.join(',')).split(',').map((p) => p.trim()) as Path[];
for (const p of paths) if (!PATHS.includes(p)) throw new Error(`BENCH_PROFILE_PATHS: ${p} is not one of ${PATHS.join(', ')}`);
const seconds = num('BENCH_PROFILE_SECONDS', 8);
const connections = num('BENCH_PROFILE_CONNECTIONS', 10);
const clusters = num('BENCH_PROFILE_CLUSTERS', 2000);
const outDir = process.env.BENCH_PROFILE_DIR ?? (await mkdtemp(join(tmpdir(), 'fleetplane-profile-')));

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

async function profileOne(path: Path): Promise<string> {
  const dir = join(outDir, path);
  let window: { fromUs: number; toUs: number } | undefined;
  const profiled = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-name=server.cpuprofile'];
  const start = (databaseUrl: string, env: Record<string, string>) => spawnFleetplane(databaseUrl, env, profiled);
  const measure = async (req: LoadRequest) => {
    // warm: every credential verified once (as in a fleet in steady state), statements prepared, code optimized
    if (req.rotate) await load({ ...req, amount: req.rotate.length });
    await load({ ...req, durationSec: 2 });
    const fromUs = monotonicUs();
    const run = await load(req);
    window = { fromUs, toUs: monotonicUs() };
    console.error(`[profile] ${path}: ${Math.round(run.ok / run.durationSec)}/s while profiled`);
  };
  if (path === 'tenant-pglite') {
    const fp = await spawnFleetplane(undefined, {}, profiled);
    try {
      const t = await seedTenant(fp.url, fp.adminToken);
      await measure({ url: `${fp.url}${t.path}`, headers: t.headers, connections, durationSec: seconds, expect: 200 });
    } finally {
      await fp.close();
    }
  } else await withSeededFleet(clusters, start, undefined, async ({ fp, fleet }) => {
    const revisions = await currentRevisions(fleet);
    const rotate = fleet.clusters.map((c) => ({ authorization: `Bearer ${c.credential}`, 'if-none-match': `"${revisions.get(c.uid) ?? c.revision}"` }));
    let req: LoadRequest;
    if (path === 'tenant') {
      const t = await seedTenant(fp.url, fp.adminToken);
      req = { url: `${fp.url}${t.path}`, headers: t.headers, connections, durationSec: seconds, expect: 200 };
    } else if (path === 'idle') {
      req = { url: `${fp.url}/v1/connector/desired-state`, headers: {}, rotate, connections, durationSec: seconds, expect: 304 };
    } else {
      req = {
        url: `${fp.url}/v1/connector/heartbeat`, method: 'POST', body: HEARTBEAT_BODY, headers: {},
        rotate: rotate.map((r) => ({ authorization: r.authorization })), connections, durationSec: seconds, expect: 200,
      };
    }
    await measure(req);
  });
  const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  // the load's own time only: not the server's start, the seeding or the warm-up
  const summary = summarizeProfile(JSON.parse(await readFile(join(dir, file), 'utf8')), window);
  return `== ${path}: ${join(dir, file)} ==\n\n${summary}`;
}

for (const p of paths) console.log(`${await profileOne(p)}\n`);
process.exit(0);
