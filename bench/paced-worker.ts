/**
 * An open-loop load at a fixed offered rate, in a worker thread: request i is
 * due at start + i/rate whether or not earlier ones have answered, and its
 * latency is counted from when it was due (so time spent waiting for a free
 * connection or behind a late timer counts too: no coordinated omission).
 *
 * Plain keep-alive sockets, one request on each at a time as a connector sends
 * them; every request's bytes are built once before the run, and answers are
 * framed by http-parser-js (autocannon's parser). undici's Pool, used before,
 * took 61–68 µs of CPU a request: at 10,000/s two thirds of a core on a
 * two-core machine, beside the server it measures. This takes about half that.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { HTTPParser } from 'http-parser-js';
import type { PacedRequest, PacedResult } from './paced.js';

const req = workerData as PacedRequest;
const url = new URL(req.url);
const origins = (req.origins ?? [url.origin]).map((o) => new URL(o));
const TIMEOUT_MS = 10_000;
const total = Math.round(req.rate * req.durationSec);
const interval = 1000 / req.rate;
/** beyond this many unanswered requests the server is not keeping up: stop offering more */
const maxInflight = Math.max(1000, req.rate * 5);

const body = req.body === undefined ? undefined : Buffer.from(req.body);

function requestBytes(rotated: Record<string, string>): Buffer {
  const headers: Record<string, string> = { host: url.host, ...req.headers, ...rotated };
  if (body) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(body.length) });
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const head = Buffer.from(`${req.method} ${url.pathname}${url.search} HTTP/1.1\r\n${lines}\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}
const requests = (req.rotate.length ? req.rotate : [{}]).map(requestBytes);

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

interface Connection {
  socket: Socket;
  parser: InstanceType<typeof HTTPParser>;
  /** the request on it: its index, or -1 when idle */
  sending: number;
  sentAt: number;
  status: number;
  keepAlive: boolean;
  closed: boolean;
  timer?: NodeJS.Timeout;
}
let open = 0;
const all = new Set<Connection>();
const idle: Connection[] = [];
/** indexes of due requests waiting for a connection, in order */
const queue: number[] = [];
let queueHead = 0;
const dueAt = (i: number) => start + i * interval;

function answered(c: Connection) {
  const end = performance.now();
  lastEnd = end;
  statusCodes[c.status] = (statusCodes[c.status] ?? 0) + 1;
  if (c.status !== req.expect) unexpected++;
  fromDue.push(end - dueAt(c.sending));
  fromSend.push(end - c.sentAt);
  doneAt.push(end - start);
}

function finished(c: Connection, ok: boolean) {
  clearTimeout(c.timer);
  if (ok) answered(c);
  else errors++;
  c.sending = -1;
  inflight--;
}

let opened = 0;

function connection(): Connection {
  open++;
  const to = origins[opened++ % origins.length]!;
  const socket = connect({ host: to.hostname, port: Number(to.port), noDelay: true });
  const c: Connection = { socket, parser: new HTTPParser(HTTPParser.RESPONSE), sending: -1, sentAt: 0, status: 0, keepAlive: true, closed: false };
  all.add(c);
  c.parser[HTTPParser.kOnHeadersComplete] = (info: { statusCode: number; shouldKeepAlive: boolean }) => {
    c.status = info.statusCode;
    c.keepAlive = info.shouldKeepAlive;
  };
  c.parser[HTTPParser.kOnMessageComplete] = () => {
    finished(c, true);
    if (c.keepAlive) ready(c);
    else close(c);
  };
  socket.on('data', (chunk: Buffer) => c.parser.execute(chunk));
  socket.on('error', () => {}); // 'close' follows
  socket.on('close', () => close(c));
  return c;
}

/** A connection that failed, timed out or was closed by the server: its request failed, and another may open. */
function close(c: Connection) {
  if (c.closed) return;
  c.closed = true;
  open--;
  all.delete(c);
  if (c.sending >= 0) finished(c, false);
  const at = idle.indexOf(c);
  if (at >= 0) idle.splice(at, 1);
  c.socket.destroy();
  dispatch();
}

function send(c: Connection, i: number) {
  c.sending = i;
  c.sentAt = performance.now();
  c.parser.reinitialize(HTTPParser.RESPONSE);
  c.timer = setTimeout(() => close(c), TIMEOUT_MS);
  c.socket.write(requests[i % requests.length]!);
}

function ready(c: Connection) {
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
  stopped = true;
  for (const c of all) c.socket.destroy();
  const due = Float64Array.from(fromDue);
  const send = Float64Array.from(fromSend);
  const done = Float64Array.from(doneAt);
  const result: PacedResult = {
    offered: total,
    completed: fromDue.length,
    unexpected,
    errors: errors + unanswered,
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
