import type { Measured } from './compare.js';
import type { SweepPoint } from './heartbeat-sweep.js';
import { usPerOp as us } from './cpu.js';
import { table } from './report.js';
import { recordTarget } from './targets.js';

const perSec = (m: Measured) => Math.round(m.rps);

/**
 * The closed loop's targets, one per concurrency and one for the best of each
 * side (the most the server ingests against the most one-row transactions
 * do), and the table they come from. `points` holds every concurrency run,
 * the main closed loop's among them.
 */
export function renderSweep(points: SweepPoint[]): string {
  for (const p of points) {
    const ratio = p.heartbeat.rps / p.pgbench.rps;
    recordTarget({
      path: `heartbeats, closed loop, ${p.connections} connections`, now: `${perSec(p.heartbeat)}/s`,
      peer: `pgbench -c ${p.connections} single-row UPDATE ${perSec(p.pgbench)}/s`, ratio, goal: '>= 1.0x', met: ratio >= 1,
    });
  }
  const best = (side: 'heartbeat' | 'pgbench') => points.reduce((a, p) => (p[side].rps > a[side].rps ? p : a));
  const hb = best('heartbeat');
  const pg = best('pgbench');
  const ratio = hb.heartbeat.rps / pg.pgbench.rps;
  recordTarget({
    path: 'heartbeats, closed loop, best of each', now: `${perSec(hb.heartbeat)}/s (${hb.connections} connections)`,
    peer: `pgbench single-row UPDATE ${perSec(pg.pgbench)}/s (-c ${pg.connections})`, ratio, goal: '>= 1.0x', met: ratio >= 1,
  });
  const rows = points.map((p) => [
    p.connections, perSec(p.heartbeat), p.heartbeat.p99.toFixed(2), perSec(p.pgbench), p.pgbench.p99.toFixed(2),
    `${(p.heartbeat.rps / p.pgbench.rps).toFixed(2)}x`,
    us(p.cpu.heartbeat?.server, p.heartbeat.rps), us(p.cpu.heartbeat?.postgres, p.heartbeat.rps), us(p.cpu.heartbeat?.loadGen, p.heartbeat.rps),
    us(p.cpu.pgbench?.postgres, p.pgbench.rps), p.cpu.heartbeat?.idle.toFixed(2) ?? '-', p.cpu.pgbench?.idle.toFixed(2) ?? '-',
  ]);
  return [
    'Closed loop by concurrency: heartbeats over N connections beside pgbench -c N (single-row UPDATE), same rounds and order flipping; ' +
      'the server keeps its pool of 10 at every N. µs of CPU per heartbeat or transaction; idle in cores of the machine.',
    table(['N', 'heartbeat/s', 'p99', 'pgbench/s', 'p99', 'ratio', 'server µs', 'pg µs', 'loadgen µs', 'pgbench: pg µs', 'idle (hb)', 'idle (pgbench)'], rows),
  ].join('\n');
}
