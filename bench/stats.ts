/** Percentiles over raw latency samples, nearest-rank. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Joins several sample arrays into one sorted array. */
export function pooled(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.sort();
}

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

/** Rate over the summed time, percentiles over every sample. */
export function measured(latencies: Float64Array[], seconds: number): Measured {
  const all = pooled(latencies);
  return { rps: all.length / seconds, p50: percentile(all, 50), p99: percentile(all, 99), requests: all.length };
}
