/**
 * An open-loop load at a fixed offered rate, in a worker thread: request i is
 * due at start + i/rate whether or not earlier ones have answered, and its
 * latency is counted from when it was due (so time spent waiting for a free
 * connection or behind a late timer counts too: no coordinated omission).
 * undici's Pool, not node:http, whose client spent about as much CPU per request
 * as the server it measures (as in bench/fanout-worker.ts).
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import type { PacedRequest, PacedResult } from './paced.js';

const req = workerData as PacedRequest;
const url = new URL(req.url);
const pool = new Pool(url.origin, { connections: req.connections });
const TIMEOUT_MS = 10_000;
const total = Math.round(req.rate * req.durationSec);
const interval = 1000 / req.rate;
/** beyond this many unanswered requests the server is not keeping up: stop offering more */
const maxInflight = Math.max(1000, req.rate * 5);
const body = req.body === undefined ? undefined : Buffer.from(req.body);

const fromDue: number[] = [];
const fromSend: number[] = [];
const doneAt: number[] = [];
const statusCodes: Record<string, number> = {};
let unexpected = 0;
let errors = 0;
let dropped = 0;
let inflight = 0;
let next = 0;
let start = 0;
let lastEnd = 0;

function fire(i: number, due: number) {
  const sentAt = performance.now();
  inflight++;
  const headers: Record<string, string> = { ...req.headers, ...req.rotate[i % req.rotate.length] };
  if (body) headers['content-type'] = 'application/json';
  pool.request({ path: url.pathname + url.search, method: req.method, headers, body, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS }).then(
    async (res) => {
      try {
        await res.body.dump();
      } catch {
        inflight--;
        errors++;
        return;
      }
      const end = performance.now();
      inflight--;
      lastEnd = end;
      const code = res.statusCode;
      statusCodes[code] = (statusCodes[code] ?? 0) + 1;
      if (code !== req.expect) unexpected++;
      fromDue.push(end - due);
      fromSend.push(end - sentAt);
      doneAt.push(end - start);
    },
    () => {
      inflight--;
      errors++;
    },
  );
}

function tick() {
  const now = performance.now();
  while (next < total && start + next * interval <= now) {
    if (inflight >= maxInflight) dropped++;
    else fire(next, start + next * interval);
    next++;
  }
  if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
  else void finish();
}

async function finish() {
  const deadline = performance.now() + req.graceSec * 1000;
  while (inflight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await pool.destroy();
  const due = Float64Array.from(fromDue);
  const send = Float64Array.from(fromSend);
  const done = Float64Array.from(doneAt);
  const result: PacedResult = {
    offered: total,
    completed: fromDue.length,
    unexpected,
    errors: errors + inflight,
    dropped,
    durationSec: ((lastEnd || performance.now()) - start) / 1000,
    statusCodes,
    fromDue: due,
    fromSend: send,
    doneAt: done,
  };
  parentPort!.postMessage(result, [due.buffer, send.buffer, done.buffer]);
}

start = performance.now() + 20;
setTimeout(tick, 20);
