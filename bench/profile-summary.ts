/**
 * A V8 `.cpuprofile` summed up as text: self time by function (with its file
 * and line) and by where the code lives (a package under node_modules, the
 * project's own directories, Node's internals), heaviest first, as shares of
 * the time the process was busy (idle and the profiler's own ticks left out).
 */
import { table } from './report.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const IDLE = new Set(['(idle)', '(program)']);

/** Where a script lives: `pg-protocol` for node_modules/pg-protocol/..., `worker/routes` for the project's own. */
export function areaOf(url: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const m = /\/(worker|db|connectors|bench)\/([^/]+)\//.exec(url);
  return m ? `${m[1]}/${m[2]}` : url.replace(/^file:\/\/.*\//, '');
}

/**
 * `window`: only the samples taken between these CLOCK_MONOTONIC times in µs
 * (`process.hrtime` in any process on the machine: V8 stamps samples on that
 * clock), so that start-up and seeding do not count.
 */
export function summarizeProfile(p: CpuProfile, window?: { fromUs: number; toUs: number }, top = 25): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // each sample's time is the delta to the next one
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
  });
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  let gc = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    if (IDLE.has(f.functionName)) continue;
    busy += us;
    if (f.functionName === '(garbage collector)') gc += us;
    const file = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|worker|db|connectors)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${file}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
    const area = f.functionName === '(garbage collector)' ? '(garbage collector)' : areaOf(f.url);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const wall = (window ? window.toUs - window.fromUs : p.endTime - p.startTime) / 1e6;
  const pct = (us: number) => `${((100 * us) / Math.max(1, busy)).toFixed(1)}%`;
  const rows = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => [pct(us), (us / 1000).toFixed(0), k]);
  return [
    `busy ${(busy / 1e6).toFixed(2)} s of ${wall.toFixed(2)} s profiled; garbage collection ${pct(gc)} of busy`,
    '',
    'By where the code lives (self time)',
    table(['share', 'ms', 'area'], rows(areas)),
    '',
    'By function (self time)',
    table(['share', 'ms', 'function'], rows(fns)),
  ].join('\n');
}
