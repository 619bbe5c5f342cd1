/**
 * One fan-out step, in a worker thread so the server keeps the main thread:
 * optionally one PUT of the app, then GET /v1/connector/desired-state for every
 * target cluster with its own credential and `If-None-Match` of the revision it
 * held, until each answers 200 with the app's expected revision. Every wait is bounded.
 *
 * The PUT writes every cluster in one transaction, so no cluster can be served
 * before all can: until the first is, a single probe asks every 10 ms (asking
 * all of them would only load the server with 304s); from then on `concurrency`
 * requests are in flight. A cluster that still answers 304 goes to the back of the queue.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import type { FanoutStepRequest, FanoutStepResult } from './fanout.js';

const req = workerData as FanoutStepRequest;
const pool = new Pool(req.baseUrl, { connections: req.concurrency });
const putAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PROBE_EVERY_MS = 10;

interface Answer {
  status: number;
  etag: string | undefined;
  text: string;
}

/**
 * undici's Pool, not node:http: on two shared cores the polling thread competes
 * with the server it measures, and node:http's client spent about as much CPU
 * per request as the server spent answering it.
 */
async function get(c: { credential: string; revision: number }, timeoutMs: number): Promise<Answer> {
  try {
    const res = await pool.request({
      path: '/v1/connector/desired-state', method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
      headers: { authorization: `Bearer ${c.credential}`, 'if-none-match': `"${c.revision}"` },
    });
    const text = await res.body.text();
    const etag = res.headers.etag;
    return { status: res.statusCode, etag: typeof etag === 'string' ? etag : undefined, text };
  } catch {
    return { status: 0, etag: undefined, text: '' };
  }
}

function put(): Promise<{ status: number; bytes: number; text: string }> {
  const body = JSON.stringify(req.put!.body);
  return new Promise((resolve) => {
    const r = http.request(`${req.baseUrl}${req.put!.path}`, {
      method: 'PUT', agent: putAgent, timeout: req.maxSec * 1000,
      headers: { authorization: `Bearer ${req.adminToken}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: all.length, text: all.subarray(0, 300).toString() });
      });
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (err) => resolve({ status: 0, bytes: 0, text: String(err) }));
    r.end(body);
  });
}

type Served = { revision: number; apps: { kind: string; name: string; revision: number }[] };

/**
 * The answer's revision and apps without parsing its objects: the server writes
 * `{"revision":N,"objects":[...],"apps":[...]}`, and parsing 10,000 answers of
 * 13 KiB whole cost this thread more CPU than the server spent making them.
 * Anything else is parsed whole.
 */
function servedParts(text: string): Served {
  const head = /^\{"revision":(\d+),"objects":\[/.exec(text);
  const at = text.lastIndexOf('],"apps":[');
  if (head && at > 0 && text.endsWith(']}')) {
    return { revision: Number(head[1]), apps: JSON.parse(text.slice(at + 9, -1)) as Served['apps'] };
  }
  return JSON.parse(text) as Served;
}

/** 200 with a revision past the one held and the app at the expected revision. */
function servedRevision(i: number, a: Answer): number | undefined {
  if (a.status !== 200) return undefined;
  try {
    const d = servedParts(a.text);
    const app = d.apps.find((x) => x.kind === 'App' && x.name === req.app);
    if (d.revision > req.clusters[i]!.revision && app?.revision === req.expectAppRevision) return d.revision;
  } catch { /* not served */ }
  return undefined;
}

async function main(): Promise<FanoutStepResult> {
  const n = req.clusters.length;
  const servedAt = new Float64Array(n).fill(Number.NaN);
  const revisions = req.clusters.map((c) => c.revision);
  const statuses: Record<string, number> = {};
  const count = (s: number | string) => (statuses[s] = (statuses[s] ?? 0) + 1);
  let stale = 0;

  const start = performance.now();
  const deadline = start + req.maxSec * 1000;
  const putDone = req.put ? put().then((r) => ({ ...r, ms: performance.now() - start })) : undefined;

  const queue: number[] = Array.from({ length: n }, (_, i) => i);
  let head = 0;
  let served = 0;
  let firstServedMs = Number.NaN;

  const ask = async (i: number) => {
    const a = await get(req.clusters[i]!, 10_000);
    count(a.status);
    const r = servedRevision(i, a);
    if (r === undefined) {
      if (a.status === 200) stale++;
      queue.push(i);
      return;
    }
    servedAt[i] = performance.now() - start;
    revisions[i] = r;
    if (served++ === 0) firstServedMs = servedAt[i]!;
  };

  // Until the first cluster is served: one probe at a time, every PROBE_EVERY_MS.
  while (n > 0 && served === 0 && performance.now() < deadline) {
    const i = queue[head++]!;
    const t = performance.now();
    await ask(i);
    if (served === 0) await sleep(Math.max(0, PROBE_EVERY_MS - (performance.now() - t)));
  }
  // Then `concurrency` at a time until all are served.
  await Promise.all(Array.from({ length: req.concurrency }, async () => {
    while (served < n && performance.now() < deadline) {
      if (head >= queue.length) {
        await sleep(5); // the rest are in flight; one may come back
        continue;
      }
      await ask(queue[head++]!);
    }
  }));
  const allServedMs = served === n ? Math.max(...servedAt) : Number.NaN;

  let giveUp: Parameters<typeof clearTimeout>[0];
  const p = putDone
    ? await Promise.race([putDone, new Promise<undefined>((r) => (giveUp = setTimeout(r, Math.max(0, deadline - performance.now()))))])
    : undefined;
  clearTimeout(giveUp);

  // Clusters outside the target set must not have moved: each still answers 304 to the revision it held.
  let untouched = 0;
  let moved = 0;
  let next = 0;
  const others = req.untouched;
  await Promise.all(Array.from({ length: req.concurrency }, async () => {
    while (next < others.length) {
      const c = others[next++]!;
      const a = (await get(c, 10_000)).status;
      if (a === 304) untouched++;
      else moved++;
    }
  }));

  await pool.close();
  putAgent.destroy();
  const done = Array.from(servedAt).filter(Number.isFinite).sort((a, b) => a - b);
  return {
    clusters: n,
    put: p ? { status: p.status, ms: p.ms, bytes: p.bytes, ...(p.status >= 300 ? { text: p.text } : {}) } : undefined,
    served,
    firstServedMs,
    allServedMs,
    servedMs: Float64Array.from(done),
    statuses,
    stale,
    revisions,
    untouched,
    moved,
  };
}

const result = await main();
parentPort!.postMessage(result, [result.servedMs.buffer as ArrayBuffer]);
