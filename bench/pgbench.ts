/**
 * Runs pgbench (the Postgres client's own load tool) with a custom script against
 * a database, and reads its per-transaction log for percentiles.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgbenchOptions {
  url: string;
  script: string;
  clients: number;
  durationSec: number;
  /** transactions per second to offer (pgbench -R); unset = as fast as it can */
  rate?: number;
  /**
   * extended (default): parse, plan and run each statement every time, as node-postgres does with
   * parameterized queries that have no name; prepared: parse once per connection, then bind and run
   */
  mode?: 'extended' | 'prepared';
  /** script variables (pgbench -D): `:name` in the script is sent as a bound parameter, as a driver sends a value */
  defines?: Record<string, string>;
}

export interface PgbenchRun {
  /** as pgbench reports it (without connection time) */
  tps: number;
  durationSec: number;
  /** ms per transaction, sorted; with a rate, from each transaction's scheduled start (pgbench includes the schedule lag) */
  latencies: Float64Array;
}

/** `$PGBENCH`, else the one on PATH via Debian's wrapper, else the newest server's. */
export function pgbenchPath(): string {
  if (process.env.PGBENCH) return process.env.PGBENCH;
  if (existsSync('/usr/bin/pgbench')) return '/usr/bin/pgbench';
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => join(root, v, 'bin', 'pgbench')).find((p) => existsSync(p));
  if (!found) throw new Error('pgbench not found: install postgresql-contrib (or the postgresql client) or set PGBENCH');
  return found;
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`pgbench failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export async function pgbench(o: PgbenchOptions): Promise<PgbenchRun> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-pgbench-'));
  try {
    const scriptFile = join(dir, 'script.sql');
    await writeFile(scriptFile, o.script);
    const args = [
      '-n', // no vacuum of pgbench's own tables (there are none)
      '-M', o.mode ?? 'extended',
      '-c', String(o.clients), '-j', String(Math.min(2, o.clients)),
      '-T', String(o.durationSec),
      '-f', scriptFile,
      '-l', '--log-prefix', join(dir, 'tx'),
      ...(o.rate ? ['-R', String(o.rate)] : []),
      ...Object.entries(o.defines ?? {}).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
      o.url,
    ];
    const out = await run(pgbenchPath(), args, (o.durationSec + 30) * 1000);
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
    if (!tps) throw new Error(`pgbench: no tps in output:\n${out}`);
    // log lines: client_id transaction_no time_us script_no epoch epoch_us [schedule_lag_us]
    const latencies: number[] = [];
    for (const f of (await readdir(dir)).filter((n) => n.startsWith('tx'))) {
      for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line && Number.isFinite(us)) latencies.push(us / 1000);
      }
    }
    return { tps: Number(tps[1]), durationSec: o.durationSec, latencies: Float64Array.from(latencies).sort() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
