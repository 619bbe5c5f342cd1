import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  url: string;
  connections: number;
  durationSec: number;
  /** this many requests, however long they take, instead of `durationSec` */
  amount?: number;
  headers: Record<string, string>;
  method?: string;
  /** JSON text, sent with `content-type: application/json` */
  body?: string;
  /** header sets applied in turn, one per request (e.g. one connector credential per cluster) */
  rotate?: Record<string, string>[];
  /** the status every response must have; default any 2xx */
  expect?: number;
  /**
   * a text in `body` that each request replaces with the next of increasing
   * numbers from `start` (a connector's report `seq`, which must grow)
   */
  counter?: { placeholder: string; start: number };
}

/** What one load run saw; latencies in ms, one per expected response. */
export interface RawLoad {
  durationSec: number;
  completed: number;
  ok: number;
  unexpected: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  latencies: Float64Array;
}

/** Drives `url` for `durationSec` from a worker thread; rejects if any response had another status. */
export function load(req: LoadRequest): Promise<RawLoad> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: req });
    let raw: RawLoad | undefined;
    worker.once('message', (m: RawLoad) => (raw = m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!raw) return reject(new Error(`load worker for ${req.url} exited with code ${code} and no result`));
      const bad = raw.unexpected + raw.errors + raw.timeouts;
      if (bad > 0 || raw.ok === 0) {
        return reject(new Error(
          `${req.url}: ${raw.ok} ok, ${raw.unexpected} unexpected, ${raw.errors} errors, ${raw.timeouts} timeouts; status codes ${JSON.stringify(raw.statusCodes)}`,
        ));
      }
      resolve(raw);
    });
  });
}
