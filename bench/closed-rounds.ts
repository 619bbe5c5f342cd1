import { measured, type Measured } from './stats.js';
import { cpuMeter, type CpuSplit } from './cpu.js';

export type ClosedRun = (sec: number) => Promise<{ latencies: Float64Array; durationSec: number }>;

export interface ClosedRounds<N extends string> {
  rounds: Record<N, Measured>[];
  /** all rounds pooled */
  total: Record<N, Measured>;
  /** where the CPU went during each target's runs, averaged; null without /proc */
  cpu: Record<N, CpuSplit | null>;
}

/**
 * Closed-loop targets side by side: each round runs every one for
 * `durationSec`, the order flipping each round so that drift and noise hit
 * them all; `before` runs ahead of each run (out of its time and CPU).
 * `serverPid`: the server's own process (or processes), for the CPU split (see cpuMeter).
 */
export async function closedRounds<N extends string>(
  runs: Record<N, ClosedRun>, o: { rounds: number; durationSec: number; serverPid?: number | number[]; label?: string },
  progress: (line: string) => void, before: (name: N) => Promise<void> = async () => {},
): Promise<ClosedRounds<N>> {
  const names = Object.keys(runs) as N[];
  const kept = new Map(names.map((k) => [k, { latencies: [] as Float64Array[], seconds: 0, cpu: [] as (CpuSplit | null)[] }]));
  const rounds: Record<N, Measured>[] = [];
  for (let i = 0; i < o.rounds; i++) {
    const round = {} as Record<N, Measured>;
    for (const name of i % 2 === 0 ? names : [...names].reverse()) {
      await before(name);
      const meter = cpuMeter(o.serverPid);
      const raw = await runs[name](o.durationSec);
      const k = kept.get(name)!;
      k.cpu.push(meter());
      k.latencies.push(raw.latencies);
      k.seconds += raw.durationSec;
      round[name] = measured([raw.latencies], raw.durationSec);
      progress(`${o.label ?? ''}round ${i + 1}/${o.rounds} ${name}: ${Math.round(round[name].rps)}/s, p99 ${round[name].p99.toFixed(2)} ms`);
    }
    rounds.push(round);
  }
  const each = <T>(f: (k: N) => T) => Object.fromEntries(names.map((k) => [k, f(k)])) as Record<N, T>;
  return {
    rounds,
    total: each((k) => measured(kept.get(k)!.latencies, kept.get(k)!.seconds)),
    cpu: each((k) => averageCpu(kept.get(k)!.cpu)),
  };
}

function averageCpu(splits: (CpuSplit | null)[]): CpuSplit | null {
  const ok = splits.filter((x): x is CpuSplit => x !== null);
  if (ok.length === 0) return null;
  const keys = Object.keys(ok[0]!) as (keyof CpuSplit)[];
  return Object.fromEntries(keys.map((k) => [k, ok.reduce((a, x) => a + x[k], 0) / ok.length])) as unknown as CpuSplit;
}
