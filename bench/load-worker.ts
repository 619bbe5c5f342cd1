/**
 * Runs one autocannon load in a worker thread, so the servers keep the main
 * thread to themselves, and records every 2xx latency at full precision.
 */
import autocannon from 'autocannon';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadRequest, RawLoad } from './load.js';

const req = workerData as LoadRequest;
const latencies: number[] = [];
const instance = autocannon({
  url: req.url,
  connections: req.connections,
  duration: req.durationSec,
  headers: req.headers,
  timeout: 10,
});
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
});

const result = await instance;
const samples = Float64Array.from(latencies);
const raw: RawLoad = {
  durationSec: result.duration,
  completed: result.requests.total,
  ok: samples.length,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
  latencies: samples,
};
parentPort!.postMessage(raw, [samples.buffer]);
