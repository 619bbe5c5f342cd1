import { load, type LoadRequest } from './load.js';
import { percentile, pooled } from './stats.js';

export interface Settings {
  durationSec: number;
  warmupSec: number;
  rounds: number;
  connections: number;
}

/** What to load: URL and headers, optionally method, body, rotating headers and the expected status. */
export type Target = Omit<LoadRequest, 'connections' | 'durationSec'>;

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

export interface Comparison {
  rounds: { bare: Measured; fleetplane: Measured }[];
  /** all rounds pooled: req/s over the summed time, percentiles over every sample */
  total: { bare: Measured; fleetplane: Measured };
}

type Name = 'bare' | 'fleetplane';

export function measured(latencies: Float64Array[], seconds: number): Measured {
  const all = pooled(latencies);
  return { rps: all.length / seconds, p50: percentile(all, 50), p99: percentile(all, 99), requests: all.length };
}

/**
 * Loads the two targets in turn, round after round, the order flipping each
 * round (bare, fleetplane, fleetplane, bare, ...) so drift and noise hit both.
 */
export async function compare(targets: Record<Name, Target>, s: Settings, progress: (line: string) => void): Promise<Comparison> {
  const run = (name: Name, durationSec: number) =>
    load({ ...targets[name], durationSec, connections: s.connections });

  progress(`warm-up ${s.warmupSec}s each`);
  await run('bare', s.warmupSec);
  await run('fleetplane', s.warmupSec);

  const kept: Record<Name, { latencies: Float64Array[]; seconds: number }> = {
    bare: { latencies: [], seconds: 0 },
    fleetplane: { latencies: [], seconds: 0 },
  };
  const rounds: Comparison['rounds'] = [];
  for (let i = 0; i < s.rounds; i++) {
    const order: Name[] = i % 2 === 0 ? ['bare', 'fleetplane'] : ['fleetplane', 'bare'];
    const round = {} as Record<Name, Measured>;
    for (const name of order) {
      const raw = await run(name, s.durationSec);
      kept[name].latencies.push(raw.latencies);
      kept[name].seconds += raw.durationSec;
      round[name] = measured([raw.latencies], raw.durationSec);
      progress(`round ${i + 1}/${s.rounds} ${name}: ${Math.round(round[name].rps)} req/s`);
    }
    rounds.push(round);
  }
  return {
    rounds,
    total: {
      bare: measured(kept.bare.latencies, kept.bare.seconds),
      fleetplane: measured(kept.fleetplane.latencies, kept.fleetplane.seconds),
    },
  };
}
