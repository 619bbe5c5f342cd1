/**
 * Where the machine's CPU went during a run (Linux /proc), in cores (1.0 = one
 * core busy): this process's main thread (the server), its libuv pool (where
 * WebCrypto runs, e.g. the server's JWT signature checks), its other lasting
 * threads (V8's GC helpers), the threads that ended during the run (the load
 * generator's worker), Postgres processes, everything else, and idle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface CpuSplit {
  server: number;
  cryptoPool: number;
  v8Helpers: number;
  loadGen: number;
  postgres: number;
  other: number;
  idle: number;
}

interface Snapshot {
  at: number;
  /** clock ticks, system-wide: busy and idle (+iowait) */
  busy: number;
  idle: number;
  main: number;
  pool: number;
  helpers: number;
  process: number;
  /** the server's process, when it runs in one of its own */
  server: number;
  postgres: Map<string, number>;
}

const TICKS = 100; // USER_HZ on Linux

/** utime + stime (+ cutime + cstime: reaped children, e.g. ended Postgres backends) */
function ticks(statPath: string, children: boolean): number {
  try {
    const text = readFileSync(statPath, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    return children ? own + Number(f[13]) + Number(f[14]) : own;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

function comm(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function snapshot(serverPids: number[]): Snapshot {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = v.map(Number);
  const idle = n[3]! + n[4]!;
  const busy = n.slice(0, 8).reduce((a, b) => a + b, 0) - idle;
  const postgres = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (comm(pid) === 'postgres') postgres.set(pid, ticks(`/proc/${pid}/stat`, true));
  }
  const task = `/proc/${process.pid}/task`;
  let pool = 0;
  let helpers = 0;
  for (const tid of readdirSync(task)) {
    if (tid === String(process.pid)) continue;
    const t = ticks(`${task}/${tid}/stat`, false);
    if (comm(`${process.pid}/task/${tid}`) === 'libuv-worker') pool += t;
    else helpers += t;
  }
  return {
    at: performance.now(), busy, idle,
    main: ticks(`${task}/${process.pid}/stat`, false), pool, helpers,
    process: ticks(`/proc/${process.pid}/stat`, false),
    server: serverPids.reduce((sum, pid) => sum + ticks(`/proc/${pid}/stat`, false), 0),
    postgres,
  };
}

/**
 * Starts counting; the returned function stops and tells the split. Null where /proc is missing.
 * With `serverPid` the server runs in that process (or, a list, in those replicas): `server` is all of
 * them, and this whole process is load.
 */
export function cpuMeter(serverPid?: number | number[]): () => CpuSplit | null {
  const serverPids = serverPid === undefined ? [] : [serverPid].flat();
  let start: Snapshot;
  try {
    start = snapshot(serverPids);
  } catch {
    return () => null;
  }
  return () => {
    const end = snapshot(serverPids);
    const sec = (end.at - start.at) / 1000;
    const cores = (t: number) => t / TICKS / sec;
    let pg = 0;
    for (const [pid, t] of end.postgres) pg += t - (start.postgres.get(pid) ?? 0);
    // A backend that ended meanwhile had its whole lifetime added to the postmaster's children's
    // time; only its share since the start belongs to this run.
    for (const [pid, t] of start.postgres) if (!end.postgres.has(pid)) pg -= t;
    const apart = serverPids.length > 0;
    const server = cores(apart ? end.server - start.server : end.main - start.main);
    const cryptoPool = apart ? 0 : cores(end.pool - start.pool);
    // Threads still here at the end (V8 helpers; a load worker started before this meter, if any).
    const v8Helpers = apart ? 0 : Math.max(0, cores(end.helpers - start.helpers));
    const loadGen = apart ? cores(end.process - start.process) : Math.max(0, cores(end.process - start.process) - server - cryptoPool - v8Helpers);
    const postgres = cores(pg);
    const busy = Math.min(cores(end.busy - start.busy), cpus().length);
    const ours = server + cryptoPool + v8Helpers + loadGen + postgres;
    return { server, cryptoPool, v8Helpers, loadGen, postgres, other: Math.max(0, busy - ours), idle: cores(end.idle - start.idle) };
  };
}

/** Microseconds of CPU an operation cost, from cores busy at `rps` operations a second; '-' without /proc. */
export const usPerOp = (cores: number | undefined, rps: number) => (cores === undefined ? '-' : Math.round((cores / rps) * 1e6));
