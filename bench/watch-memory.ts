/**
 * `npm run bench:watch-memory`: the server's JavaScript heap per held watch
 * (a connector's long poll on GET /v1/connector/watch), and where it is
 * allocated. The Node server runs in this process, on a fresh Postgres with
 * BENCH_WATCH_MEMORY_WATCHES (5000) seeded clusters; a worker thread first
 * asks once per credential (answered at once: every credential verified, as in
 * a fleet in steady state), then holds one watch per cluster. The heap is
 * measured after full collections before and after the watches are held; V8's
 * sampling heap profiler, started in between, names the allocation sites of
 * what is still live, by their innermost four frames.
 *
 * Run with `--expose-gc` (the npm script does).
 */
import { Session } from 'node:inspector/promises';
import { Worker } from 'node:worker_threads';
import { currentRevisions, withSeededFleet } from './fleet-seed.js';
import { table } from './report.js';
import { startFleetplane } from './servers.js';
import type { HolderData } from './watch-holder.js';

const n = Number(process.env.BENCH_WATCH_MEMORY_WATCHES ?? 5000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench:watch-memory)');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** Live sampled bytes by allocation site: the innermost four frames, innermost first. */
function bySite(head: SamplingNode): [string, number][] {
  const sites = new Map<string, number>();
  const walk = (node: SamplingNode, stack: string[]) => {
    const f = node.callFrame;
    const here = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(worker|bench|db)\//, '$1/')}:${f.lineNumber + 1}`;
    const frames = [here, ...stack].slice(0, 4);
    if (node.selfSize > 0) sites.set(frames.join(' < '), (sites.get(frames.join(' < ')) ?? 0) + node.selfSize);
    for (const c of node.children) walk(c, frames);
  };
  walk(head, []);
  return [...sites].sort((a, b) => b[1] - a[1]);
}

function hold(data: HolderData): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./watch-holder.ts', import.meta.url), { workerData: data });
    w.on('message', (m) => (m === 'written' ? resolve(w) : typeof m === 'string' && console.error(m)));
    w.once('error', reject);
  });
}

const returned = (w: Worker) => new Promise<number>((r) => {
  w.once('message', r);
  w.postMessage('count');
});

await withSeededFleet(n, startFleetplane, undefined, async ({ fp, fleet }) => {
  const revisions = await currentRevisions(fleet);
  const at = (delta: number) => fleet.clusters.map((c) => ({ credential: c.credential, revision: (revisions.get(c.uid) ?? c.revision) + delta }));
  const warm = await hold({ url: fp.url, watches: at(-1) });
  while ((await returned(warm)) < n) await sleep(200);
  await warm.terminate();
  await sleep(1000);

  const session = new Session();
  session.connect();
  const before = heapUsed();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 1024 });
  const holder = await hold({ url: fp.url, watches: at(0) });
  await sleep(3000);
  const after = heapUsed();
  const { profile } = (await session.post('HeapProfiler.getSamplingProfile')) as { profile: { head: SamplingNode } };
  await session.post('HeapProfiler.stopSampling');
  const early = await returned(holder);
  await holder.terminate();
  if (early > 0) throw new Error(`${early} of ${n} watches returned while they should have been held`);

  const sites = bySite(profile.head);
  const sampled = sites.reduce((s, [, b]) => s + b, 0);
  console.log(`== JavaScript heap per held watch, ${n} watches (node ${process.version}) ==\n`);
  console.log(`heap after full GC: ${(before / 1e6).toFixed(1)} MB before, ${(after / 1e6).toFixed(1)} MB holding them: ${Math.round((after - before) / n)} bytes per watch`);
  console.log(`live allocations sampled while they were opened: ${Math.round(sampled / n)} bytes per watch, by site (innermost frame first):\n`);
  console.log(table(['bytes per watch', 'site'], sites.slice(0, 25).map(([site, b]) => [Math.round(b / n), site])));
});
process.exit(0);
