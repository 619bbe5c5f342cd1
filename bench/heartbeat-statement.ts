/**
 * `npm run bench:heartbeat-statement`: what one heartbeat batch statement takes,
 * alone, by batch size. `size` heartbeats of distinct clusters handed to
 * `writeHeartbeat` at once (worker/domain/connector/heartbeat-batch.ts) make
 * one statement; on a pool of one connection each batch is timed from the
 * first call to the last answer: the statement's round trip with its commit,
 * nothing else in flight. Sizes alternate, so a noisy moment is shared.
 * Beside each, the Postgres CPU a row cost (its processes' time, /proc): what
 * a heartbeat costs the database written alone, as on Workers (one statement
 * per request), and in the batches a Node process makes.
 *
 * Tunable: BENCH_HB_SIZES (1,4,16,64,500: 500 is a full batch), BENCH_HB_BATCHES (1000 per size and pass),
 * BENCH_HB_PASSES (2).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { openNodePostgres } from '../db/node-postgres.js';
import { writeHeartbeat } from '../worker/domain/connector/heartbeat-batch.js';
import { cpuMeter } from './cpu.js';
import { withSeededFleet } from './fleet-seed.js';
import { steadyHeartbeat } from './heartbeat-writes.js';
import { spawnFleetplane } from './servers.js';
import { percentile } from './stats.js';

const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map(Number);
const sizes = list('BENCH_HB_SIZES', '1,4,16,64,500');
const batches = Number(process.env.BENCH_HB_BATCHES ?? 1000);
const passes = Number(process.env.BENCH_HB_PASSES ?? 2);

await withSeededFleet(Math.max(...sizes) * 20, spawnFleetplane, undefined, async ({ fleet, databaseUrl }) => {
  const { db, pool } = openNodePostgres(databaseUrl, 1);
  let next = 0;
  const batch = async (size: number) => {
    const clusters = Array.from({ length: size }, () => fleet.clusters[next++ % fleet.clusters.length]!);
    const t = performance.now();
    const rows = await Promise.all(clusters.map((c) => writeHeartbeat(db, steadyHeartbeat(c))));
    if (rows.some((r) => !r)) throw new Error('a heartbeat was refused: its credential generation is not 1');
    return performance.now() - t;
  };
  try {
    const timed = new Map(sizes.map((s) => [s, [] as number[]]));
    const pgSec = new Map(sizes.map((s) => [s, 0]));
    for (const s of sizes) for (let i = 0; i < 30; i++) await batch(s); // statements prepared, plans cached
    for (let p = 0; p < passes; p++) {
      for (const s of sizes) {
        const meter = cpuMeter();
        const t = performance.now();
        for (let i = 0; i < batches; i++) timed.get(s)!.push(await batch(s));
        pgSec.set(s, pgSec.get(s)! + (meter()?.postgres ?? Number.NaN) * ((performance.now() - t) / 1000));
      }
    }
    console.log(`One heartbeat batch statement alone, on one connection: ${passes} passes of ${batches} batches per size\n`);
    console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
    console.log('rows  p50 ms  p90 ms  µs per row (p50)  Postgres CPU µs per row');
    for (const [s, ms] of timed) {
      const sorted = Float64Array.from(ms).sort();
      const p50 = percentile(sorted, 50);
      console.log(`${String(s).padStart(4)}  ${p50.toFixed(3).padStart(6)}  ${percentile(sorted, 90).toFixed(3).padStart(6)}  ${((p50 * 1000) / s).toFixed(0).padStart(18)}  ${((pgSec.get(s)! * 1e6) / (s * ms.length)).toFixed(0).padStart(23)}`);
    }
  } finally {
    await pool.end();
  }
});
