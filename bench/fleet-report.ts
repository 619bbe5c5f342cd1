import { cpus } from 'node:os';
import type { Comparison, Measured, Settings } from './compare.js';
import { connectionsFor, HEARTBEAT_P99_MS as TARGET_P99_MS, type ClosedName, type HeartbeatResults } from './heartbeats.js';
import { renderSweep } from './heartbeat-sweep-report.js';
import { render, ratio, table } from './report.js';
import { percentile } from './stats.js';
import { recordRatio, recordTarget } from './targets.js';
import type { PacedResult } from './paced.js';
import type { WatchResult } from './watch.js';

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
const perSec = (m: Measured) => Math.round(m.rps).toString();

const TARGET_RATE = 1000;

function heartbeats(h: HeartbeatResults): string {
  const s = h.settings;
  const names = Object.keys(h.total) as ClosedName[];
  const perRound = h.rounds.flatMap((r, i) => names.map((k) => [i + 1, k, perSec(r[k]), ms(r[k].p50), ms(r[k].p99)]));
  const pooled = names.map((k) => [k, perSec(h.total[k]), ms(h.total[k].p50), ms(h.total[k].p99), h.total[k].requests]);
  const hb = h.total.heartbeat;
  const ratioRow = (a: ClosedName, b: ClosedName) =>
    [`${a} / ${b}`, ratio(h.total[a].rps, h.total[b].rps), ratio(h.total[a].p50, h.total[b].p50), ratio(h.total[a].p99, h.total[b].p99)];
  // the batched write alone against the one-row transaction: what the batching gains before HTTP is in front of it
  const ratios = [...names.filter((k) => k !== 'heartbeat').map((k) => ratioRow('heartbeat', k)), ratioRow('heartbeat writes, no HTTP', 'pgbench update')];

  const p = h.paced;
  const fromDue = p.fromDue.slice().sort();
  const fromSend = p.fromSend.slice().sort();
  const pg = h.pacedPg;
  const pacedRow = (name: string, rate: number, x: PacedResult) => {
    const due = x.fromDue.slice().sort();
    return [name, rate, Math.round(x.completed / x.durationSec), ms(percentile(due, 50)), ms(percentile(due, 99)),
      ms(percentile(due, 100)), x.completed, `${x.errors}/${x.dropped}/${x.unexpected}`];
  };
  const fixed = [
    pacedRow('heartbeat (HTTP)', s.rate, p),
    ['pgbench update -R', s.rate, perSec(pg), ms(pg.p50), ms(pg.p99), ms(pg.max), pg.requests, '0/0/0'],
    pacedRow('heartbeat (HTTP)', s.highRate, h.pacedHigh),
    pacedRow('bare Hono POST /bare', s.highRate, h.pacedHighBare),
  ];
  const over = h.pacedHighReplicas;
  if (over) fixed.push(pacedRow(`heartbeat (HTTP), ${s.highReplicas} replicas`, s.highRate, over));
  const bareOver = h.pacedHighBareReplicas;
  if (bareOver) fixed.push(pacedRow(`bare Hono POST /bare, ${s.highReplicas} processes`, s.highRate, bareOver));
  const p99 = percentile(fromDue, 99);
  const high = h.pacedHigh;
  const highP99 = percentile(high.fromDue.slice().sort(), 99);
  const highMet = highRateMet(high, s.highRate);
  // the framework's own route at that rate on this machine: a p99 over the goal there is the machine's, not the heartbeat's
  const p99Of = (x: PacedResult) => percentile(x.fromDue.slice().sort(), 99);
  const peerOf = (x: PacedResult, processes: string) => `bare Hono POST${processes}: ${Math.round(x.completed / x.durationSec)}/s, p99 ${ms(p99Of(x))} ms`;
  const bare = h.pacedHighBare;
  const bareP99 = p99Of(bare);
  const sweep = renderSweep([
    { connections: s.connections, heartbeat: hb, pgbench: h.total['pgbench update'], cpu: { heartbeat: h.cpu.heartbeat, pgbench: h.cpu['pgbench update'] } },
    ...h.sweep,
  ]);
  recordTarget({
    path: `heartbeats at ${s.rate}/s offered`, now: `p99 ${ms(p99)} ms`, peer: `pgbench -R ${s.rate}: p99 ${ms(pg.p99)} ms`,
    ratio: p99 / pg.p99, goal: `p99 < ${TARGET_P99_MS} ms`, met: p.errors + p.dropped + p.unexpected === 0 && p99 < TARGET_P99_MS,
  });
  recordTarget({
    path: `heartbeats at ${s.highRate}/s offered`, now: `${Math.round(high.completed / high.durationSec)}/s answered, p99 ${ms(highP99)} ms`,
    peer: peerOf(bare, ''), ratio: highP99 / bareP99, goal: `${s.highRate}/s with p99 < ${TARGET_P99_MS} ms`, met: highMet,
  });
  if (over) {
    recordTarget({
      path: `heartbeats at ${s.highRate}/s offered, ${s.highReplicas} replicas`,
      now: `${Math.round(over.completed / over.durationSec)}/s answered, p99 ${ms(p99Of(over))} ms`,
      ...(bareOver ? { peer: peerOf(bareOver, `, ${s.highReplicas} processes`), ratio: p99Of(over) / p99Of(bareOver) } : {}), goal: `${s.highRate}/s with p99 < ${TARGET_P99_MS} ms`, met: highRateMet(over, s.highRate),
    });
  }
  const rates: Record<keyof HeartbeatResults['cpu'], number> = {
    ...Object.fromEntries(names.map((k) => [k, h.total[k].rps])) as Record<ClosedName, number>,
    'heartbeat at rate': p.completed / p.durationSec,
    'pgbench at rate': pg.rps,
    'heartbeat at high rate': h.pacedHigh.completed / h.pacedHigh.durationSec,
    'high rate, replicas': over ? over.completed / over.durationSec : Number.NaN,
  };
  const cpuRows = (Object.keys(h.cpu) as (keyof HeartbeatResults['cpu'])[]).flatMap((k) => {
    const c = h.cpu[k];
    if (!c) return [];
    const us = (cores: number) => Math.round((cores / rates[k]) * 1e6);
    const f = (v: number) => v.toFixed(2);
    return [[k, f(c.server), f(c.loadGen), f(c.postgres), f(c.other), f(c.idle), us(c.server), us(c.postgres)]];
  });
  const met = p.errors + p.dropped + p.unexpected === 0 && p.completed / p.durationSec >= TARGET_RATE * 0.97 && p99 < TARGET_P99_MS;
  return [
    `Heartbeat ingestion: POST /v1/connector/heartbeat, ${h.clusters} clusters, a different cluster's credential per request`,
    `Closed loop: ${s.connections} keep-alive HTTP connections (bench/raw-http.ts) vs pgbench -c ${s.connections} (server pool: 10 connections), ` +
      `${s.rounds} rounds x ${s.durationSec}s, order flipping, after one pass over every cluster's credential (the server keeps ` +
      `120,000 verified, as a fleet in steady state finds them); latencies in ms.`,
    `heartbeat writes, no HTTP = ${s.connections} callers in the bench process calling the server's writeHeartbeat (the batcher and ` +
      'its statement) on a pool of 10, with no HTTP in front (bench/heartbeat-writes.ts); ' +
      'pgbench update = one UPDATE of a random agent row; server sql = the statement recordHeartbeat sends ' +
      '(worker/domain/connector/heartbeat.ts). pgbench -M extended parses and plans every time, as node-postgres does ' +
      'with unnamed parameterized queries; "prepared" parses and plans once per connection.',
    '',
    table(['round', 'target', 'per s', 'p50', 'p99'], perRound),
    '',
    'Pooled',
    table(['target', 'per s', 'p50', 'p99', 'count'], pooled),
    '',
    table(['ratio', 'per s', 'p50', 'p99'], ratios),
    '',
    sweep,
    '',
    `Cold start, the warm-up's pass: each of the ${h.clusters} clusters' first heartbeat since the server started ` +
      `(its credential's signature checked): ${perSec(h.cold)}/s, p50 ${ms(h.cold.p50)} ms, p99 ${ms(h.cold.p99)} ms, ` +
      `${ratio(h.cold.rps, hb.rps)} of the closed loop's rate`,
    '',
    `Fixed offered rate ${s.rate}/s for ${s.rateSec}s, open loop: latency from when each request was due ` +
      `(heartbeats over at most ${connectionsFor(s.rate)} keep-alive connections, ${connectionsFor(s.highRate)} at ${s.highRate}/s: ` +
      `as many as ${TARGET_P99_MS} ms lets be in flight; pgbench -c ${s.connections} -R ${s.rate})`,
    table(['target', 'offered/s', 'achieved/s', 'p50', 'p99', 'max', 'count', 'err/drop/unexp'], fixed),
    `status codes at ${s.rate}/s: ${JSON.stringify(p.statusCodes)}; at ${s.highRate}/s: ${JSON.stringify(high.statusCodes)}` +
      (over ? `; over ${s.highReplicas} replicas: ${JSON.stringify(over.statusCodes)}` : ''),
    `target ${s.highRate}/s (100,000 clusters every 10 s) with p99 < ${TARGET_P99_MS} ms: ${highMet ? 'MET' : 'MISSED'}` +
      (over ? `; over ${s.highReplicas} replicas (server processes on the same database, connections spread over them): ` +
        `${highRateMet(over, s.highRate) ? 'MET' : 'MISSED'}` : ''),
    `heartbeat p99 from handing to the HTTP client: ${ms(percentile(fromSend, 99))} ms; p99 heartbeat/pgbench at ${s.rate}/s: ${ratio(p99, pg.p99)}`,
    `at ${s.rate}/s, ${slowSpread(p)}; Postgres checkpoints begun during it: ${h.checkpointsAtRate}`,
    `at ${s.highRate}/s, ${slowSpread(high)}` + (over ? `; over ${s.highReplicas} replicas, ${slowSpread(over)}` : ''),
    `the peer at ${s.highRate}/s: plain Hono's POST /bare parsing the same body, in a process of its own, over as many connections; ` +
      `p99 heartbeat/bare ${ratio(highP99, bareP99)}; the bare route itself ${s.highRate}/s with p99 < ${TARGET_P99_MS} ms: ` +
      `${highRateMet(bare, s.highRate) ? 'yes' : 'no'}` +
      (bareOver ? `; over ${s.highReplicas} processes: ${highRateMet(bareOver, s.highRate) ? 'yes' : 'no'}` : ''),
    s.rate >= TARGET_RATE
      ? `target ${TARGET_RATE}/s with p99 < ${TARGET_P99_MS} ms: ${met ? 'MET' : 'MISSED'}`
      : `target ${TARGET_RATE}/s with p99 < ${TARGET_P99_MS} ms: not tested (offered ${s.rate}/s)`,
    `phase-change events written while heartbeating: ${h.events}`,
    '',
    `CPU during those runs, in cores of ${cpus().length} (Linux /proc). server = the server's own process (all its threads); ` +
      'loadgen = the bench process (the load worker); ' +
      'postgres includes its background processes (WAL writer, checkpointer, autovacuum); ' +
      'other = every other process (pgbench, other users of the machine); µs of CPU per request/transaction; ' +
      'over replicas, server = all of them',
    cpuRows.length
      ? table(['run', 'server', 'loadgen', 'postgres', 'other', 'idle', 'server µs/op', 'pg µs/op'], cpuRows)
      : '(no /proc)',
  ].join('\n');
}

/** All answered, as offered and expected, at the rate offered (within 3%), p99 within the goal. */
const highRateMet = (x: PacedResult, rate: number) => x.errors + x.dropped + x.unexpected === 0 && x.completed / x.durationSec >= rate * 0.97 &&
  percentile(x.fromDue.slice().sort(), 99) < TARGET_P99_MS;

/** Whether slow answers came all along (overload) or bunched in a few moments (stalls). */
function slowSpread(p: PacedResult): string {
  const windows = new Set<number>();
  let slow = 0;
  p.fromDue.forEach((v, i) => {
    if (v <= TARGET_P99_MS) return;
    slow++;
    windows.add(Math.floor(p.doneAt[i]! / 250));
  });
  const all = Math.ceil((p.durationSec * 1000) / 250);
  const seconds = windows.size ? ` (from ${(Math.min(...windows) / 4).toFixed(2)} s to ${((Math.max(...windows) + 1) / 4).toFixed(2)} s)` : '';
  return `heartbeats over ${TARGET_P99_MS} ms: ${slow} (${((100 * slow) / Math.max(1, p.completed)).toFixed(1)}%), ` +
    `answered within ${windows.size} of the run's ${all} quarter-seconds${seconds}`;
}

const WATCH_TARGET_P99_MS = 100;

function watch(w: WatchResult, putConcurrency: number): string {
  const q = (a: Float64Array, p: number) => ms(percentile(a, p));
  const wakeP99 = percentile(w.wake, 99);
  const watchMet = w.woke === w.relabelled && w.failed === 0 && wakeP99 < WATCH_TARGET_P99_MS;
  recordTarget({
    path: `watch wake-up, ${w.watchers} waiting`, now: `p99 ${ms(wakeP99)} ms (${w.woke} of ${w.relabelled} woken)`,
    goal: `p99 < ${WATCH_TARGET_P99_MS} ms`, met: w.watchers >= 10_000 ? watchMet : undefined,
  });
  const rows = [
    ['watches held', w.watchers],
    ['clusters relabelled (the others keep waiting)', w.relabelled],
    ['written / failed / returned before any PUT', `${w.flushed} / ${w.failed} / ${w.early}`],
    ['time to open all and settle (ms)', Math.round(w.openedMs)],
    [`PUTs (${putConcurrency} at a time): status counts`, JSON.stringify(w.putStatus)],
    ['PUT phase (ms)', Math.round(w.triggerMs)],
    ['PUT latency p50 / p99 (ms)', `${q(w.put, 50)} / ${q(w.put, 99)}`],
    ['woke (revision moved, after its PUT)', `${w.woke} of ${w.relabelled}`],
    ['wake-up from PUT sent p50 / p99 / max (ms)', `${q(w.wake, 50)} / ${q(w.wake, 99)} / ${q(w.wake, 100)}`],
    ['watch return minus PUT answer p50 / p99 (ms)', `${q(w.afterPutResponse, 50)} / ${q(w.afterPutResponse, 99)}`],
  ];
  return [
    `Watch wake-up: ${w.watchers} connectors each holding GET /v1/connector/watch?revision=<current>&timeoutSeconds=30;`,
    `${w.relabelled} of those clusters relabelled with PUT /v1/tenants/{t}/clusters/{name} (moves its desired revision), ${putConcurrency} at a time`,
    table(['measure', 'value'], rows),
    `target: ${w.watchers} waiting, wake-up p99 < ${WATCH_TARGET_P99_MS} ms: ${w.watchers < 10_000 ? 'not tested (fewer than 10,000 waiting)' : watchMet ? 'MET' : 'MISSED'}`,
  ].join('\n');
}

export interface FleetReport {
  heartbeats: HeartbeatResults;
  idle: Comparison;
  idleSettings: Settings;
  watch: WatchResult;
  putConcurrency: number;
}

export function renderFleet(r: FleetReport): string {
  const heartbeatPart = heartbeats(r.heartbeats);
  recordRatio('idle poll, desired-state 304', r.idle, 0.7);
  return [
    '== Fleet (Node server, Postgres through node-postgres) ==',
    '',
    heartbeatPart,
    '',
    'Idle path: GET /v1/connector/desired-state with If-None-Match: "<current revision>" -> 304, a different cluster per request',
    render([{ backend: 'node-postgres', comparison: r.idle }], r.idleSettings, '/v1/connector/desired-state (304)'),
    '',
    watch(r.watch, r.putConcurrency),
  ].join('\n');
}
