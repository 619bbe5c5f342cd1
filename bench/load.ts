import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  url: string;
  connections: number;
  durationSec: number;
  headers: Record<string, string>;
}

/** What one load run saw; latencies in ms, one per 2xx response. */
export interface RawLoad {
  durationSec: number;
  completed: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  latencies: Float64Array;
}

/** Drives `url` for `durationSec` from a worker thread; rejects if any response was not 2xx. */
export function load(req: LoadRequest): Promise<RawLoad> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: req });
    let raw: RawLoad | undefined;
    worker.once('message', (m: RawLoad) => (raw = m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!raw) return reject(new Error(`load worker for ${req.url} exited with code ${code} and no result`));
      const bad = raw.non2xx + raw.errors + raw.timeouts;
      if (bad > 0 || raw.ok === 0) {
        return reject(new Error(
          `${req.url}: ${raw.ok} ok, ${raw.non2xx} non-2xx, ${raw.errors} errors, ${raw.timeouts} timeouts; status codes ${JSON.stringify(raw.statusCodes)}`,
        ));
      }
      resolve(raw);
    });
  });
}
