/**
 * The closed loop at more than one concurrency. Group commit gains only when
 * heartbeats arrive together: with 10 connections a batch holds a few, while
 * a fleet's connectors each hold a connection of their own and heartbeat
 * independently. One-row transactions go the other way: pgbench with more
 * clients than cores spends more per transaction. So heartbeats and pgbench's
 * single-row UPDATE are each run at every concurrency of the sweep, side by
 * side (order flipping each round), and the target compares the best of each.
 */
import { measured, type Measured } from './compare.js';
import { cpuMeter, type CpuSplit } from './cpu.js';
import { freshenHeartbeats, type Fleet } from './fleet-seed.js';
import { load, type LoadRequest } from './load.js';
import { pgbench } from './pgbench.js';

export interface SweepPoint {
  connections: number;
  heartbeat: Measured;
  pgbench: Measured;
  cpu: { heartbeat: CpuSplit | null; pgbench: CpuSplit | null };
}

type Name = 'heartbeat' | 'pgbench';

export async function sweepClosedLoop(
  target: Omit<LoadRequest, 'connections' | 'durationSec'>, serverPid: number, databaseUrl: string, fleet: Fleet,
  s: { sweep: number[]; rounds: number; durationSec: number }, pgbenchScript: string, progress: (line: string) => void,
): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  for (const connections of s.sweep) {
    const runs: Record<Name, (sec: number) => Promise<{ latencies: Float64Array; durationSec: number }>> = {
      heartbeat: (sec) => load({ ...target, connections, durationSec: sec }),
      pgbench: (sec) => pgbench({ url: databaseUrl, script: pgbenchScript, clients: connections, durationSec: sec }),
    };
    const kept = { heartbeat: { lat: [] as Float64Array[], sec: 0, cpu: [] as (CpuSplit | null)[] }, pgbench: { lat: [] as Float64Array[], sec: 0, cpu: [] as (CpuSplit | null)[] } };
    await runs.heartbeat(2); // the server's pool and batcher settle at this concurrency
    for (let i = 0; i < s.rounds; i++) {
      for (const name of (i % 2 === 0 ? ['heartbeat', 'pgbench'] : ['pgbench', 'heartbeat']) as Name[]) {
        if (name === 'heartbeat') await freshenHeartbeats(fleet);
        const meter = cpuMeter(serverPid);
        const raw = await runs[name](s.durationSec);
        kept[name].cpu.push(meter());
        kept[name].lat.push(raw.latencies);
        kept[name].sec += raw.durationSec;
        progress(`sweep ${connections} connections, round ${i + 1}/${s.rounds} ${name}: ${Math.round(raw.latencies.length / raw.durationSec)}/s`);
      }
    }
    points.push({
      connections,
      heartbeat: measured(kept.heartbeat.lat, kept.heartbeat.sec),
      pgbench: measured(kept.pgbench.lat, kept.pgbench.sec),
      cpu: { heartbeat: averageCpu(kept.heartbeat.cpu), pgbench: averageCpu(kept.pgbench.cpu) },
    });
  }
  return points;
}

export function averageCpu(splits: (CpuSplit | null)[]): CpuSplit | null {
  const ok = splits.filter((x): x is CpuSplit => x !== null);
  if (ok.length === 0) return null;
  const keys = Object.keys(ok[0]!) as (keyof CpuSplit)[];
  return Object.fromEntries(keys.map((k) => [k, ok.reduce((a, x) => a + x[k], 0) / ok.length])) as unknown as CpuSplit;
}
