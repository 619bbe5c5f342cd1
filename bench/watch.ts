/**
 * Watch wake-up latency: connectors each holding GET /v1/connector/watch (long
 * poll) at their current revision; each cluster is then relabelled with a PUT
 * (which moves its desired revision), and each watch's return is timed.
 */
import { Worker } from 'node:worker_threads';
import type { Fleet } from './fleet-seed.js';

export interface WatchRequest {
  baseUrl: string;
  adminToken: string;
  tenant: string;
  clusters: { name: string; credential: string; revision: number }[];
  putConcurrency: number;
  /** how many of the watching clusters are relabelled (the first ones) */
  wakes: number;
  timeoutSeconds: number;
  /** at most this long for the server to take in every watch */
  settleMaxSec: number;
  /** at most this long, after the last PUT, for the watches to return */
  wakeMaxSec: number;
}

export interface WatchResult {
  watchers: number;
  relabelled: number;
  /** watch requests written to the server */
  flushed: number;
  /** watch requests that failed (connection errors) */
  failed: number;
  /** watches that returned before any PUT */
  early: number;
  openedMs: number;
  /** time to send every PUT and get every answer */
  triggerMs: number;
  putStatus: Record<string, number>;
  woke: number;
  /** ms from just before the cluster's PUT was sent to its watch returning, sorted */
  wake: Float64Array;
  /** ms from the PUT's answer to the watch returning (negative: the watch returned first), sorted */
  afterPutResponse: Float64Array;
  /** ms per PUT, sorted */
  put: Float64Array;
}

export interface WatchSettings {
  watchers: number;
  wakes: number;
  putConcurrency: number;
}

export function measureWatch(
  url: string, adminToken: string, fleet: Fleet, revisions: Map<string, number>, s: WatchSettings,
): Promise<WatchResult> {
  const req: WatchRequest = {
    baseUrl: url,
    adminToken,
    tenant: fleet.tenant,
    clusters: fleet.clusters.slice(0, s.watchers).map((c) => ({
      name: c.name, credential: c.credential, revision: revisions.get(c.uid) ?? c.revision,
    })),
    putConcurrency: s.putConcurrency,
    wakes: s.wakes,
    timeoutSeconds: 30,
    settleMaxSec: 20,
    wakeMaxSec: 10,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./watch-worker.ts', import.meta.url), { workerData: req });
    const limit = setTimeout(() => void worker.terminate(), 120_000);
    let result: WatchResult | undefined;
    worker.once('message', (m: WatchResult) => (result = m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      clearTimeout(limit);
      if (!result) reject(new Error(`watch worker exited with code ${code} and no result`));
      else resolve(result);
    });
  });
}
