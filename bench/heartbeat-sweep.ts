/**
 * The closed loop at more than one concurrency. Group commit gains only when
 * heartbeats arrive together: with 10 connections a batch holds a few, while
 * a fleet's connectors each hold a connection of their own and heartbeat
 * independently. One-row transactions go the other way: pgbench with more
 * clients than cores spends more per transaction. So heartbeats and pgbench's
 * single-row UPDATE are each run at every concurrency of the sweep, side by
 * side (order flipping each round), and the target compares the best of each.
 */
import { closedRounds } from './closed-rounds.js';
import type { Measured } from './compare.js';
import type { CpuSplit } from './cpu.js';
import { freshenBeforeHeartbeats, type Fleet } from './fleet-seed.js';
import { load, type LoadRequest } from './load.js';
import { pgbench } from './pgbench.js';

export interface SweepPoint {
  connections: number;
  heartbeat: Measured;
  pgbench: Measured;
  cpu: { heartbeat: CpuSplit | null; pgbench: CpuSplit | null };
}

export async function sweepClosedLoop(
  target: Omit<LoadRequest, 'connections' | 'durationSec'>, serverPid: number, databaseUrl: string, fleet: Fleet,
  s: { sweep: number[]; rounds: number; durationSec: number }, pgbenchScript: string, progress: (line: string) => void,
): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  for (const connections of s.sweep) {
    const heartbeat = (sec: number) => load({ ...target, connections, durationSec: sec });
    await heartbeat(2); // the server's pool and batcher settle at this concurrency
    const r = await closedRounds<'heartbeat' | 'pgbench'>({
      heartbeat,
      pgbench: (sec) => pgbench({ url: databaseUrl, script: pgbenchScript, clients: connections, durationSec: sec }),
    }, { rounds: s.rounds, durationSec: s.durationSec, serverPid, label: `sweep ${connections} connections, ` }, progress,
    freshenBeforeHeartbeats(fleet));
    points.push({ connections, heartbeat: r.total.heartbeat, pgbench: r.total.pgbench, cpu: r.cpu });
  }
  return points;
}
