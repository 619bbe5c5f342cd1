import { closedRounds } from './closed-rounds.js';
import { load, type LoadRequest } from './load.js';
import type { Measured } from './stats.js';

export { measured, type Measured } from './stats.js';

export interface Settings {
  durationSec: number;
  warmupSec: number;
  rounds: number;
  connections: number;
}

/** What to load: URL and headers, optionally method, body, rotating headers and the expected status. */
export type Target = Omit<LoadRequest, 'connections' | 'durationSec'>;

export interface Comparison {
  rounds: { bare: Measured; fleetplane: Measured }[];
  /** all rounds pooled: req/s over the summed time, percentiles over every sample */
  total: { bare: Measured; fleetplane: Measured };
}

type Name = 'bare' | 'fleetplane';

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

  const { rounds, total } = await closedRounds<Name>({ bare: (sec) => run('bare', sec), fleetplane: (sec) => run('fleetplane', sec) }, s, progress);
  return { rounds, total };
}
