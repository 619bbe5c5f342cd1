/**
 * Runs one autocannon load in a worker thread, so the servers keep the main
 * thread to themselves, and records every expected response's latency at full precision.
 */
import autocannon from 'autocannon';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadRequest, RawLoad } from './load.js';

const req = workerData as LoadRequest;
const expected = (status: number) => (req.expect === undefined ? status >= 200 && status < 300 : status === req.expect);

/**
 * With `rotate`, every request (on any connection) takes the next header set in
 * turn; with `counter`, its body the next number. One worker thread sends them
 * all, so the numbers grow in the order the requests are sent.
 */
function rotating(sets: Record<string, string>[]): autocannon.Request[] {
  const url = new URL(req.url);
  let turn = 0;
  const parts = req.counter && req.body !== undefined ? req.body.split(req.counter.placeholder) : undefined;
  let next = req.counter?.start ?? 0;
  return [{
    method: req.method ?? 'GET',
    path: url.pathname + url.search,
    ...(req.body === undefined ? {} : { body: req.body }),
    setupRequest: (r) => {
      if (sets.length) r.headers = { ...r.headers, ...sets[turn++ % sets.length] };
      if (parts) r.body = parts.join(String(next++));
      return r;
    },
  }];
}

const latencies: number[] = [];
let unexpected = 0;
const instance = autocannon({
  url: req.url,
  connections: req.connections,
  ...(req.amount ? { amount: req.amount } : { duration: req.durationSec }),
  headers: { ...req.headers, ...(req.body === undefined ? {} : { 'content-type': 'application/json' }) },
  ...(req.method ? { method: req.method } : {}),
  ...(req.body === undefined ? {} : { body: req.body }),
  ...(req.rotate?.length || req.counter ? { requests: rotating(req.rotate ?? []) } : {}),
  timeout: 10,
});
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (expected(statusCode)) latencies.push(responseTime);
  else unexpected++;
});

const result = await instance;
const samples = Float64Array.from(latencies);
const raw: RawLoad = {
  durationSec: result.duration,
  completed: result.requests.total,
  ok: samples.length,
  unexpected,
  errors: result.errors,
  timeouts: result.timeouts,
  statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
  latencies: samples,
};
parentPort!.postMessage(raw, [samples.buffer]);
