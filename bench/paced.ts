import { Worker } from 'node:worker_threads';

export interface PacedRequest {
  url: string;
  /**
   * replicas to spread the connections over in turn, as a load balancer in front
   * of them would (`http://host:port`); default the origin of `url`
   */
  origins?: string[];
  method: string;
  headers: Record<string, string>;
  /** JSON text */
  body?: string;
  /** header sets used in turn, one per request */
  rotate: Record<string, string>[];
  /** requests per second offered */
  rate: number;
  durationSec: number;
  /** keep-alive connections at most */
  connections: number;
  expect: number;
  /** how long to wait for the last answers */
  graceSec: number;
}

export interface PacedResult {
  offered: number;
  completed: number;
  unexpected: number;
  /** failed or still unanswered after the grace period */
  errors: number;
  /** never sent: too many were already waiting */
  dropped: number;
  /** first due time to last answer */
  durationSec: number;
  statusCodes: Record<string, number>;
  /** ms, from when each request was due */
  fromDue: Float64Array;
  /** ms, from when each request was handed to the HTTP client */
  fromSend: Float64Array;
  /** ms since the first due time, when each answer came (same order as `fromDue`) */
  doneAt: Float64Array;
}

/** Offers `rate` requests per second for `durationSec` from a worker thread. */
export function paced(req: PacedRequest): Promise<PacedResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./paced-worker.ts', import.meta.url), { workerData: req });
    const limit = setTimeout(() => void worker.terminate(), (req.durationSec + req.graceSec + 15) * 1000);
    let result: PacedResult | undefined;
    worker.once('message', (m: PacedResult) => (result = m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      clearTimeout(limit);
      if (!result) reject(new Error(`paced load on ${req.url} exited with code ${code} and no result`));
      else resolve(result);
    });
  });
}
