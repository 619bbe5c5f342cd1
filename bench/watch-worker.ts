/**
 * Holds one long poll per connector, then relabels the first `wakes` clusters (which moves
 * their desired revisions) and times each watch's return from just before its PUT
 * was sent. Runs in a worker thread; every wait here is bounded.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { WatchRequest, WatchResult } from './watch.js';

const req = workerData as WatchRequest;
const n = req.clusters.length;
/** the clusters relabelled: the first `wakes`; the others keep waiting, as most of a fleet does */
const wakes = Math.min(n, req.wakes);
const watchAgent = new http.Agent({ keepAlive: true, maxSockets: n + 1 });
const putAgent = new http.Agent({ keepAlive: true, maxSockets: req.putConcurrency });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const returnedAt = new Float64Array(n).fill(Number.NaN);
const revisionSeen = new Float64Array(n).fill(Number.NaN);
const putSentAt = new Float64Array(n).fill(Number.NaN);
const putDoneAt = new Float64Array(n).fill(Number.NaN);
const putStatus: Record<string, number> = {};
let flushed = 0;
let returned = 0;
let failed = 0;

function watch(i: number) {
  const c = req.clusters[i]!;
  const path = `/v1/connector/watch?revision=${c.revision}&timeoutSeconds=${req.timeoutSeconds}`;
  const r = http.get(`${req.baseUrl}${path}`, { agent: watchAgent, headers: { authorization: `Bearer ${c.credential}` } }, (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (text += d));
    res.on('end', () => {
      returnedAt[i] = performance.now();
      returned++;
      try {
        if (res.statusCode === 200) revisionSeen[i] = (JSON.parse(text) as { revision: number }).revision;
      } catch { /* counted as not woken */ }
    });
  });
  r.on('finish', () => flushed++);
  r.on('error', () => failed++);
}

function put(i: number): Promise<void> {
  const c = req.clusters[i]!;
  const body = JSON.stringify({ metadata: { labels: { 'bench-wave': '1' } }, spec: {} });
  return new Promise((resolve) => {
    putSentAt[i] = performance.now();
    const r = http.request(`${req.baseUrl}/v1/tenants/${req.tenant}/clusters/${c.name}`, {
      method: 'PUT', agent: putAgent, timeout: 10_000,
      headers: { authorization: `Bearer ${req.adminToken}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    }, (res) => {
      res.resume();
      res.on('end', () => {
        putDoneAt[i] = performance.now();
        putStatus[res.statusCode ?? 0] = (putStatus[res.statusCode ?? 0] ?? 0) + 1;
        resolve();
      });
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', () => {
      putStatus.error = (putStatus.error ?? 0) + 1;
      resolve();
    });
    r.end(body);
  });
}

/** Wall time for a GET /healthz on the same server: short once the queued watch requests are handled. */
async function probe(): Promise<number> {
  const t = performance.now();
  await fetch(`${req.baseUrl}/healthz`).then((r) => r.arrayBuffer());
  return performance.now() - t;
}

async function main(): Promise<WatchResult> {
  const begin = performance.now();
  for (let i = 0; i < n; i += 100) {
    for (let j = i; j < Math.min(n, i + 100); j++) watch(j);
    const until = performance.now() + 5000;
    while (flushed + failed < Math.min(n, i + 100) && performance.now() < until) await sleep(5);
  }
  // Settled: every watch written, and the server answers a probe quickly (its backlog is drained).
  const settleUntil = performance.now() + req.settleMaxSec * 1000;
  let quick = 0;
  while (quick < 3 && performance.now() < settleUntil) {
    quick = (await probe()) < 10 ? quick + 1 : 0;
    await sleep(50);
  }
  const openedMs = performance.now() - begin;
  const early = returned;

  const triggerStart = performance.now();
  let nextPut = 0;
  await Promise.all(Array.from({ length: req.putConcurrency }, async () => {
    while (nextPut < wakes) await put(nextPut++);
  }));
  const triggerMs = performance.now() - triggerStart;
  const waitUntil = performance.now() + req.wakeMaxSec * 1000;
  const settled = () => {
    let k = 0;
    for (let i = 0; i < wakes; i++) if (Number.isFinite(returnedAt[i]!)) k++;
    return k;
  };
  while (settled() + failed < wakes && performance.now() < waitUntil) await sleep(10);

  const wake: number[] = [];
  const afterPut: number[] = [];
  const put_: number[] = [];
  for (let i = 0; i < wakes; i++) {
    if (Number.isFinite(putDoneAt[i]!)) put_.push(putDoneAt[i]! - putSentAt[i]!);
    const woke = returnedAt[i]! >= triggerStart && revisionSeen[i]! > req.clusters[i]!.revision;
    if (!woke) continue;
    wake.push(returnedAt[i]! - putSentAt[i]!);
    if (Number.isFinite(putDoneAt[i]!)) afterPut.push(returnedAt[i]! - putDoneAt[i]!);
  }
  watchAgent.destroy();
  putAgent.destroy();
  return {
    watchers: n, relabelled: wakes, flushed, failed, early, openedMs, triggerMs, putStatus,
    woke: wake.length,
    wake: Float64Array.from(wake).sort(),
    afterPutResponse: Float64Array.from(afterPut).sort(),
    put: Float64Array.from(put_).sort(),
  };
}

const result = await main();
parentPort!.postMessage(result);
