/**
 * A closed-loop load in a worker thread, so the servers keep the main thread
 * to themselves: `connections` keep-alive connections, each sending its next
 * request as soon as the last is answered, until `durationSec` is over or
 * `amount` have been sent; every expected answer's latency at full precision.
 *
 * The requests go out as bench/raw-http.ts builds them, ahead of the run.
 * autocannon, used before, built every request again when each took another
 * header set (a connector credential per request): 93 µs of CPU a heartbeat
 * beside pgbench's client's 30 µs a transaction, on the cores the server
 * shares, and the bare route it is compared with took one prebuilt request.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadRequest, RawLoad } from './load.js';
import { RawConnection, requestBytes } from './raw-http.js';

const req = workerData as LoadRequest;
const url = new URL(req.url);
const method = req.method ?? 'GET';
const TIMEOUT_MS = 10_000;
const expected = (status: number) => (req.expect === undefined ? status >= 200 && status < 300 : status === req.expect);

/**
 * Every request (on any connection) takes the next header set in turn; with
 * `counter`, its body the next number (built as it goes: the numbers grow in
 * the order the requests are sent, as a connector's report `seq` must).
 */
const sets = req.rotate?.length ? req.rotate : [{}];
const parts = req.counter && req.body !== undefined ? req.body.split(req.counter.placeholder) : undefined;
let counter = req.counter?.start ?? 0;
const prebuilt = parts ? [] : sets.map((s) => requestBytes(url, method, { ...req.headers, ...s }, req.body === undefined ? undefined : Buffer.from(req.body)));
let turn = 0;
function nextRequest(): Buffer {
  const i = turn++ % sets.length;
  if (!parts) return prebuilt[i]!;
  return requestBytes(url, method, { ...req.headers, ...sets[i] }, Buffer.from(parts.join(String(counter++))));
}

const latencies: number[] = [];
const statusCodes: Record<string, number> = {};
let completed = 0;
let unexpected = 0;
let errors = 0;
let timeouts = 0;
let sent = 0;
let start = 0;
let end = 0;
let lastAnswer = 0;
const all = new Set<RawConnection>();
let finishing = false;

const more = () => !finishing && (req.amount ? sent < req.amount : performance.now() < end);

function go(c: RawConnection) {
  if (!more()) return maybeFinish();
  sent++;
  c.send(nextRequest(), TIMEOUT_MS);
}

function open() {
  const c = new RawConnection(url, {
    answered(c) {
      lastAnswer = performance.now();
      completed++;
      statusCodes[c.status] = (statusCodes[c.status] ?? 0) + 1;
      if (expected(c.status)) latencies.push(lastAnswer - c.sentAt);
      else unexpected++;
      if (c.reusable) go(c);
    },
    closed(c, failed, timedOut) {
      all.delete(c);
      if (failed) {
        if (timedOut) timeouts++;
        else errors++;
      }
      // a connection the server closed is opened again, as a client's pool would (not forever when none opens)
      if (more() && errors + timeouts < 1000) open();
      else maybeFinish();
    },
  });
  all.add(c);
  go(c);
}

/** Over once no connection waits for an answer. */
function maybeFinish() {
  if (finishing || [...all].some((c) => c.busy)) return;
  finishing = true;
  for (const c of all) c.close();
  const samples = Float64Array.from(latencies);
  const raw: RawLoad = {
    durationSec: ((lastAnswer || performance.now()) - start) / 1000,
    completed,
    ok: samples.length,
    unexpected,
    errors,
    timeouts,
    statusCodes,
    latencies: samples,
  };
  parentPort!.postMessage(raw, [samples.buffer]);
}

start = performance.now();
end = start + req.durationSec * 1000;
for (let i = 0; i < req.connections; i++) open();
