import type { Comparison, Measured, Settings } from './compare.js';

type Cell = string | number;

export function table(header: Cell[], rows: Cell[][]): string {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const right = header.map((_, i) => rows.length > 0 && /^[\d.]+x?$/.test(String(rows[0]![i])));
  const line = (r: string[]) =>
    r.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(all[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

const rps = (m: Measured) => Math.round(m.rps).toString();
const ms = (v: number) => v.toFixed(2);
export const ratio = (a: number, b: number) => `${(a / b).toFixed(3)}x`;

export interface BackendResult {
  backend: string;
  comparison: Comparison;
}

/** Per-round figures, then the pooled summary with fleetplane/bare ratios. */
export function render(results: BackendResult[], s: Settings, path: string): string {
  const perRound = results.flatMap(({ backend, comparison }) =>
    comparison.rounds.map((r, i) => [
      backend, i + 1,
      rps(r.bare), rps(r.fleetplane), ratio(r.fleetplane.rps, r.bare.rps),
      ms(r.bare.p99), ms(r.fleetplane.p99), ratio(r.fleetplane.p99, r.bare.p99),
    ]),
  );
  const summary = results.flatMap(({ backend, comparison: { total } }) => [
    [backend, 'bare        GET /bare', rps(total.bare), ms(total.bare.p50), ms(total.bare.p99), total.bare.requests],
    [backend, `fleetplane  GET ${path}`, rps(total.fleetplane), ms(total.fleetplane.p50), ms(total.fleetplane.p99), total.fleetplane.requests],
  ]);
  const ratios = results.map(({ backend, comparison: { total } }) => [
    backend,
    ratio(total.fleetplane.rps, total.bare.rps),
    ratio(total.fleetplane.p50, total.bare.p50),
    ratio(total.fleetplane.p99, total.bare.p99),
  ]);
  return [
    `${s.rounds} rounds x ${s.durationSec}s per target, ${s.connections} connections, ${s.warmupSec}s warm-up; latencies in ms`,
    '',
    'Per round',
    table(['backend', 'round', 'bare req/s', 'fp req/s', 'req/s fp/bare', 'bare p99', 'fp p99', 'p99 fp/bare'], perRound),
    '',
    'All rounds pooled',
    table(['backend', 'target', 'req/s', 'p50', 'p99', 'requests'], summary),
    '',
    'Ratios fleetplane/bare (pooled)',
    table(['backend', 'req/s', 'p50', 'p99'], ratios),
  ].join('\n');
}
