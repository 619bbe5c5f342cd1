/**
 * An open-loop load at a fixed offered rate, in a worker thread: request i is
 * due at start + i/rate whether or not earlier ones have answered, and its
 * latency is counted from when it was due (so time spent waiting for a free
 * connection or behind a late timer counts too: no coordinated omission).
 * Requests go out on bench/raw-http.ts's connections: undici's Pool, used
 * before, took 61–68 µs of CPU a request, two thirds of a core at 10,000/s.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { PacedRequest, PacedResult } from './paced.js';
import { RawConnection, requestBytes } from './raw-http.js';

const req = workerData as PacedRequest;
const url = new URL(req.url);
const origins = (req.origins ?? [url.origin]).map((o) => new URL(o));
const TIMEOUT_MS = 10_000;
const total = Math.round(req.rate * req.durationSec);
const interval = 1000 / req.rate;
/** beyond this many unanswered requests the server is not keeping up: stop offering more */
const maxInflight = Math.max(1000, req.rate * 5);

const body = req.body === undefined ? undefined : Buffer.from(req.body);
const requests = (req.rotate.length ? req.rotate : [{}]).map((rotated) => requestBytes(url, req.method, { ...req.headers, ...rotated }, body));

const fromDue: number[] = [];
const fromSend: number[] = [];
const doneAt: number[] = [];
const statusCodes: Record<string, number> = {};
let unexpected = 0;
let errors = 0;
let dropped = 0;
/** offered and not yet answered or failed: waiting for a connection or sent */
let inflight = 0;
let next = 0;
let start = 0;
let lastEnd = 0;
/** the run is over: no connection opens any more */
let stopped = false;

let open = 0;
let opened = 0;
const all = new Set<RawConnection>();
const idle: RawConnection[] = [];
/** indexes of due requests waiting for a connection, in order */
const queue: number[] = [];
let queueHead = 0;
const dueAt = (i: number) => start + i * interval;

const events = {
  answered(c: RawConnection) {
    const end = performance.now();
    lastEnd = end;
    inflight--;
    statusCodes[c.status] = (statusCodes[c.status] ?? 0) + 1;
    if (c.status !== req.expect) unexpected++;
    fromDue.push(end - dueAt(c.tag));
    fromSend.push(end - c.sentAt);
    doneAt.push(end - start);
    if (c.reusable) ready(c);
  },
  /** a connection that failed, timed out or was closed by the server: its request failed, and another may open */
  closed(c: RawConnection, failed: boolean) {
    open--;
    all.delete(c);
    if (failed) {
      errors++;
      inflight--;
    }
    const at = idle.indexOf(c);
    if (at >= 0) idle.splice(at, 1);
    dispatch();
  },
};

function connection(): RawConnection {
  open++;
  const c = new RawConnection(origins[opened++ % origins.length]!, events);
  all.add(c);
  return c;
}

function send(c: RawConnection, i: number) {
  c.tag = i;
  c.send(requests[i % requests.length]!, TIMEOUT_MS);
}

function ready(c: RawConnection) {
  if (queueHead < queue.length) send(c, queue[queueHead++]!);
  else idle.push(c);
}

function dispatch() {
  while (!stopped && queueHead < queue.length) {
    const c = idle.pop() ?? (open < req.connections ? connection() : undefined);
    if (!c) return;
    send(c, queue[queueHead++]!);
  }
}

function tick() {
  const now = performance.now();
  while (next < total && dueAt(next) <= now) {
    if (inflight >= maxInflight) dropped++;
    else {
      inflight++;
      queue.push(next);
    }
    next++;
  }
  dispatch();
  if (next < total) setTimeout(tick, Math.max(0, dueAt(next) - performance.now()));
  else void finish();
}

async function finish() {
  const deadline = performance.now() + req.graceSec * 1000;
  while (inflight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const unanswered = inflight;
  const failed = errors;
  stopped = true;
  for (const c of all) c.close(); // the unanswered, counted above

  const due = Float64Array.from(fromDue);
  const send = Float64Array.from(fromSend);
  const done = Float64Array.from(doneAt);
  const result: PacedResult = {
    offered: total,
    completed: fromDue.length,
    unexpected,
    errors: failed + unanswered,
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
