/**
 * `npm run bench:closed-replicas`: is the heartbeat closed loop bound by the
 * server's one event loop? Side by side, rounds alternating: C connections
 * against one server process; the same C over two server processes on the same
 * database, half on each and each with half the fleet (as a balancer that keeps
 * a connector's connection on one replica would); and pgbench's single-row
 * UPDATE at -c C, the closed loop's peer in `npm run bench`. The CPU per
 * heartbeat is summed over both servers in either case (the idle one costs ~0).
 *
 * Tunable: BENCH_CLOSED_CLUSTERS (10000), BENCH_CLOSED_CONNECTIONS (10,50),
 * BENCH_CLOSED_DURATION (s per run, 6), BENCH_CLOSED_ROUNDS (2).
 */
import { closedRounds, type ClosedRun } from './closed-rounds.js';
import { usPerOp, type CpuSplit } from './cpu.js';
import { freshenHeartbeats, withSeededFleet } from './fleet-seed.js';
import { HEARTBEAT_BODY, simpleUpdate } from './heartbeats.js';
import { load } from './load.js';
import { pgbench } from './pgbench.js';
import { table } from './report.js';
import { spawnFleetplane } from './servers.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const clusters = num('BENCH_CLOSED_CLUSTERS', 10_000);
const concurrencies = (process.env.BENCH_CLOSED_CONNECTIONS ?? '10,50').split(',').map(Number);
const durationSec = num('BENCH_CLOSED_DURATION', 6);
const rounds = num('BENCH_CLOSED_ROUNDS', 2);
const progress = (line: string) => console.error(`[closed-replicas] ${line}`);

type Name = 'one server' | 'two servers' | 'pgbench';

let serverEnv: Record<string, string> = {};
const start = (databaseUrl: string, env: Record<string, string>) => spawnFleetplane(databaseUrl, (serverEnv = env));
const rows = await withSeededFleet(clusters, start, undefined, async ({ fp, fleet, databaseUrl }) => {
  const second = await spawnFleetplane(databaseUrl, serverEnv);
  try {
    const rotate = fleet.clusters.map((c) => ({ authorization: `Bearer ${c.credential}` }));
    const halves = [rotate.filter((_, i) => i % 2 === 0), rotate.filter((_, i) => i % 2 === 1)];
    const heartbeats = (url: string, part: typeof rotate, connections: number, sec: number, amount?: number) =>
      load({ url: `${url}/v1/connector/heartbeat`, method: 'POST', headers: {}, body: HEARTBEAT_BODY, rotate: part, expect: 200, connections, durationSec: sec, amount });
    progress(`warm-up: each server sees the credentials it will be shown, once`);
    await freshenHeartbeats(fleet);
    await heartbeats(fp.url, rotate, 10, 0, rotate.length);
    await heartbeats(second.url, halves[1]!, 10, 0, halves[1]!.length);

    const out: (string | number)[][] = [];
    for (const c of concurrencies) {
      const runs: Record<Name, ClosedRun> = {
        'one server': (sec) => heartbeats(fp.url, rotate, c, sec),
        'two servers': async (sec) => {
          const [a, b] = await Promise.all([
            heartbeats(fp.url, halves[0]!, Math.ceil(c / 2), sec), heartbeats(second.url, halves[1]!, Math.floor(c / 2), sec),
          ]);
          const latencies = new Float64Array(a.latencies.length + b.latencies.length);
          latencies.set(a.latencies);
          latencies.set(b.latencies, a.latencies.length);
          return { latencies, durationSec: Math.max(a.durationSec, b.durationSec) };
        },
        'pgbench': (sec) => pgbench({ url: databaseUrl, script: simpleUpdate(fleet.clusters.length), clients: c, durationSec: sec }),
      };
      await runs['one server'](2);
      await runs['two servers'](2);
      const r = await closedRounds(runs, { rounds, durationSec, serverPid: [fp.pid, second.pid], label: `${c} connections, ` }, progress,
        async (name) => {
          if (name !== 'pgbench') await freshenHeartbeats(fleet); // all Ready: no phase changes written
        });
      const cpu = (name: Name, k: keyof CpuSplit) => r.cpu[name]?.[k];
      for (const name of ['one server', 'two servers'] as const) {
        const m = r.total[name];
        out.push([
          String(c), name, String(Math.round(m.rps)), `${(m.rps / r.total.pgbench.rps).toFixed(2)}x`, m.p99.toFixed(1),
          usPerOp(cpu(name, 'server'), m.rps), usPerOp(cpu(name, 'postgres'), m.rps), cpu(name, 'idle')?.toFixed(2) ?? '-',
        ]);
      }
      out.push([String(c), 'pgbench', String(Math.round(r.total.pgbench.rps)), '1.00x', r.total.pgbench.p99.toFixed(1), '-',
        usPerOp(cpu('pgbench', 'postgres'), r.total.pgbench.rps), cpu('pgbench', 'idle')?.toFixed(2) ?? '-']);
    }
    return out;
  } finally {
    await second.close();
  }
});

console.log(`Heartbeats, closed loop, over one and two server processes (${clusters} clusters, ${rounds} rounds of ${durationSec} s)\n`);
console.log(table(['connections', 'target', 'per s', 'vs pgbench', 'p99 ms', 'servers µs/op', 'postgres µs/op', 'idle cores'], rows));
