/**
 * The hot-path targets (issue table of `npm run bench`): each part records
 * its figure, its peer measured in the same run where there is one, and
 * whether the goal was met; `npm run bench` prints them together at the end.
 */
import { table } from './report.js';

export interface Target {
  path: string;
  /** the figure, with its unit */
  now: string;
  /** the peer measured beside it in the same run, and the ratio to it */
  peer?: string;
  ratio?: number;
  goal: string;
  /** undefined: not measured in this run (say why in `now`) */
  met: boolean | undefined;
}

const recorded: Target[] = [];

export const recordTarget = (t: Target) => void recorded.push(t);

export function renderTargets(): string {
  if (recorded.length === 0) return '';
  const rows = recorded.map((t) => [
    t.path, t.now, t.peer ?? '-', t.ratio === undefined ? '-' : `${t.ratio.toFixed(2)}x`, t.goal,
    t.met === undefined ? 'n/a' : t.met ? 'MET' : 'MISSED',
  ]);
  return ['== Targets (issue 16: hot paths at 100,000 clusters) ==', '', table(['path', 'now', 'peer in the same run', 'ratio', 'goal', ''], rows)].join('\n');
}

/** A closed-loop comparison against the bare Hono route, as a target on the req/s ratio. */
export function recordRatio(path: string, c: { total: { bare: { rps: number }; fleetplane: { rps: number } } }, goal: number) {
  const ratio = c.total.fleetplane.rps / c.total.bare.rps;
  recordTarget({
    path, now: `${Math.round(c.total.fleetplane.rps)} req/s`, peer: `bare Hono ${Math.round(c.total.bare.rps)} req/s`,
    ratio, goal: `>= ${goal}x`, met: ratio >= goal,
  });
}
