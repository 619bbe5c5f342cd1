import { ratio, table } from './report.js';
import type { AppGetResult } from './status-app.js';
import type { IngestName, IngestResults } from './status-ingest.js';

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');

export const TARGET_GET_P99_MS = 100;

export interface StatusRun {
  cpus: number;
  /** 1, 5 and 15 minute load averages at the start and the end of the part */
  loadBefore: number[];
  loadAfter: number[];
  ingest: IngestResults;
  gets: AppGetResult[];
}

function ingest(r: IngestResults): string {
  const s = r.settings;
  const names = Object.keys(r.total) as IngestName[];
  const [http, pg] = names.map((k) => r.total[k]) as [IngestResults['total'][IngestName], IngestResults['total'][IngestName]];
  return [
    `Status report ingestion: PUT /v1/connector/status, 1 app x 20 resources (${r.bodyBytes} bytes), ${r.clusters} clusters, ` +
      "the next cluster's credential and a growing seq per request",
    `Closed loop: ${s.connections} keep-alive HTTP connections (bench/raw-http.ts) vs pgbench -c ${s.connections} -M extended running one report's ` +
      `upsert per transaction (the server batches the reports arriving together), the apps JSON bound as a parameter; server pool 10 connections; ` +
      `${s.rounds} round(s) x ${s.durationSec}s, order flipping, after ${s.warmupSec}s of HTTP warm-up; latencies in ms.`,
    `Clusters whose stored report each HTTP run replaced: ${r.replaced.join(', ')} of ${r.clusters}` +
      `${r.replaced.every((x) => x === r.clusters) ? ' (no report was taken for stale)' : ''}.`,
    '',
    table(['round', 'target', 'per s', 'p50', 'p99'],
      r.rounds.flatMap((round, i) => names.map((k) => [i + 1, k, Math.round(round[k].rps), ms(round[k].p50), ms(round[k].p99)]))),
    '',
    'Pooled',
    table(['target', 'per s', 'p50', 'p99', 'count'], names.map((k) => [k, Math.round(r.total[k].rps), ms(r.total[k].p50), ms(r.total[k].p99), r.total[k].requests])),
    '',
    `HTTP / pgbench: per s ${ratio(http.rps, pg.rps)}, p50 ${ratio(http.p50, pg.p50)}, p99 ${ratio(http.p99, pg.p99)}`,
  ].join('\n');
}

function gets(results: AppGetResult[]): string {
  const first = results[0]!;
  return [
    `GET /v1/tenants/{t}/apps/web: one app on ${first.clusters} clusters, each Ready having reported 20 resources; ` +
      `${first.requests} requests one at a time after 20 unmeasured (answer ${Math.round(first.bodyBytes / 1024)} KiB; status.clusters holds at most 100)`,
    '',
    table(['backend', 'p50', 'p99', 'max', `p99 < ${TARGET_GET_P99_MS} ms`],
      results.map((g) => [g.backend, ms(g.p50), ms(g.p99), ms(g.max), g.p99 < TARGET_GET_P99_MS ? 'MET' : 'MISSED'])),
  ].join('\n');
}

export function renderStatus(run: StatusRun): string {
  return [
    '== status ==',
    `${run.cpus} CPUs; load average ${load(run.loadBefore)} at the start, ${load(run.loadAfter)} at the end (the machine may be shared)`,
    '',
    ingest(run.ingest),
    '',
    gets(run.gets),
  ].join('\n');
}
