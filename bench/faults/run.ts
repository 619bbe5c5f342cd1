/**
 * `npm run faults`: faults injected into a running Fleetplane, measured. Everything
 * runs against 127.0.0.1 only, on a throwaway PostgreSQL cluster this script
 * creates (initdb in a temp dir, a free port) and removes; the machine's own
 * Postgres is never touched. Bounded: each step has its own time limit, and the
 * whole run gives up after FAULTS_MAX_SEC (600).
 *
 *   restart   Postgres stopped (fast, immediate) mid-load, node-postgres and Neon
 *   storm     10,000 connectors back at once after a control-plane outage
 *   replicas  two replicas, one SIGKILLed during and right after a fan-out
 *   processes one of FLEETPLANE_PROCESSES=2's server processes SIGKILLed under load
 *
 * FAULTS_ONLY=restart|storm|replicas|processes runs one; FAULTS_STORM_CLUSTERS (10000);
 * FAULTS_STORM_PROCESSES: the storm's server as that many processes (FLEETPLANE_PROCESSES; one).
 * Exits 1 when any answer was not allowed, a write was lost or a cluster left behind.
 */
import { cpus, loadavg } from 'node:os';
import { startThrowawayPostgres } from './pg-cluster.js';
import { restartCase, type RestartResult } from './pg-restart.js';
import { statusLine } from './record.js';
import { processesCase } from './processes.js';
import { replicasCase, type ReplicaResult } from './replicas.js';
import { stormCase, type StormResult } from './storm.js';

const only = process.env.FAULTS_ONLY;
const maxSec = Number(process.env.FAULTS_MAX_SEC ?? 600);
const stormClusters = Number(process.env.FAULTS_STORM_CLUSTERS ?? 10_000);
const giveUp = setTimeout(() => { console.error(`faults: gave up after ${maxSec} s`); process.exit(2); }, maxSec * 1000);
giveUp.unref();

const ms = (x: number | null) => (x === null ? 'none' : x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`);
const cpu = (x: number | null) => (x === null ? '-' : `${x.toFixed(1)} s`);
function table(head: string[], rows: string[][]) {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
  console.log([line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`faults: ${cpus().length} cores, load average ${load()} at start`);
const pgc = await startThrowawayPostgres();
let failed = false;
try {
  if (!only || only === 'restart') {
    const rows: RestartResult[] = [];
    let n = 0;
    for (const driver of ['node-postgres', 'neon'] as const) {
      for (const mode of ['fast', 'immediate'] as const) rows.push(await restartCase(pgc, driver, mode, `faults_restart_${n++}`));
    }
    console.log('\nPostgres restarted mid-load (writes, reads, heartbeats; 6 concurrent clients; Fleetplane not restarted)');
    table(['driver', 'fault injected', 'load held', 'answers while down', 'all answers', 'not allowed', 'hangs (>= 10 s)', 'slowest', 'recovery to first 2xx', 'acked writes', 'lost', 'server CPU'],
      rows.map((r) => [r.driver, `pg_ctl stop -m ${r.mode}, down ${ms(r.downMs)}`, `${Math.round(r.rps)} req/s`, statusLine(r.whileDown), statusLine(r.all),
        String(r.bad), String(r.hangs), ms(r.maxMs), ms(r.recoveryMs), String(r.acknowledgedWrites), String(r.lost), cpu(r.serverCpuSec)]));
    for (const r of rows) if (r.hangDetail.length) console.log(`hangs, ${r.driver} -m ${r.mode} (time from the stop): ${r.hangDetail.join('; ')}`);
    failed ||= rows.some((r) => r.bad > 0 || r.hangs > 0 || r.lost > 0 || r.recoveryMs === null);
  }
  if (!only || only === 'storm') {
    const r: StormResult = await stormCase(pgc, stormClusters, 3, 'faults_storm');
    console.log(`\nHeartbeat storm (${r.clusters} connectors in ${r.workers} worker threads, connector backoff, outage simulated as ${r.outageSec} s of silence${r.processes > 1 ? `, server in ${r.processes} processes` : ''})`);
    table(['fault injected', 'load held', 'answers', 'not allowed', 'hangs (>= 15 s)', 'slowest', 'every cluster answered 2xx', 'every cluster Ready', 'Offline seen', 'Offline events', 'server CPU', 'client CPU'],
      [[`server SIGKILLed, ${r.clusters} back at once`, `${Math.round(r.rps)} req/s`, statusLine(r.statuses), String(r.bad), String(r.hangs), ms(r.maxMs),
        ms(r.allOkMs), ms(r.allReadyMs), String(r.offlineMax), String(r.offlineEvents), cpu(r.serverCpuSec), cpu(r.clientCpuSec)]]);
    failed ||= r.bad > 0 || r.offlineMax > 0 || r.offlineEvents > 0 || r.allReadyMs === null;
  }
  if (!only || only === 'replicas') {
    const r: ReplicaResult = await replicasCase(pgc, 'faults_replicas');
    console.log(`\nTwo replicas, one killed mid-fan-out (${r.clusters} connectors long-polling, split between them; connector answers ${statusLine(r.answers)}, ${Math.round(r.rps)} req/s)`);
    table(['fault injected', 'PUT answer', 'old / new after the kill', 'atomic', 'retried via replica 2', 'time to converge', 'left behind'],
      r.cases.map((c) => [c.name, c.putStatus === 0 ? 'cut off' : String(c.putStatus), `${c.old} / ${c.new}`,
        c.name.startsWith('kill right') ? '-' : c.old === r.clusters || c.new === r.clusters ? 'yes' : 'NO', c.retried ? 'yes' : 'no', ms(c.convergeMs), String(c.leftBehind)]));
    failed ||= r.cases.some((c) => c.leftBehind > 0 || c.convergeMs === null || (!c.name.startsWith('kill right') && c.old !== r.clusters && c.new !== r.clusters));
  }
  if (!only || only === 'processes') {
    const r = await processesCase(pgc, 'faults_processes');
    console.log(`\nFLEETPLANE_PROCESSES=2, one process SIGKILLed under load (writes, reads, heartbeats; 6 concurrent clients on the shared port)`);
    table(['fault injected', 'load held', 'answers', 'until replaced', 'cut off (sent > 100 ms after)', 'not allowed', 'hangs (>= 10 s)', 'slowest',
      'replaced after', 'first 2xx after', 'fresh connections after', 'acked writes', 'lost'],
    [['one of 2 processes SIGKILLed', `${Math.round(r.rps)} req/s`, statusLine(r.all), statusLine(r.untilReplaced), `${r.cutOff} (${r.cutOffLater})`,
      String(r.bad), String(r.hangs), ms(r.maxMs), ms(r.replacedMs), ms(r.firstOkMs), `${r.fresh.ok}/${r.fresh.sent} 200`, String(r.acknowledgedWrites), String(r.lost)]]);
    failed ||= r.bad > 0 || r.lost > 0 || r.replacedMs === null || r.fresh.ok !== r.fresh.sent;
  }
} finally {
  await pgc.remove();
}
console.log(`\nload average ${load()} at the end${failed ? '; FAILED: see the tables' : ''}`);
process.exit(failed ? 1 : 0);
