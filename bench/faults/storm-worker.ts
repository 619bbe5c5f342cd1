/**
 * A share of the simulated fleet: each connector heartbeats as connectors/agent.ts
 * does (15 s request timeout; after a success the next one a jittered interval
 * later; after a failure retryDelay with Retry-After honoured, capped at 30 s),
 * all starting at the same instant, until `untilMs`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { jittered, retryAfterMs, retryDelay, DEFAULT_BACKOFF, sleep } from '../../connectors/backoff.js';
import { HEARTBEAT_BODY } from '../heartbeats.js';

export interface StormShare {
  url: string;
  credentials: string[];
  /** epoch ms at which every connector sends its first heartbeat */
  startAt: number;
  untilMs: number;
}

export interface StormShareResult {
  statuses: Record<string, number>;
  /** answers other than 2xx or 429/503 with Retry-After */
  bad: number;
  hangs: number;
  maxMs: number;
  /** per connector, ms from startAt to its first 2xx; -1 = none */
  firstOkMs: number[];
  requests: number;
}

const s = workerData as StormShare;
const statuses: Record<string, number> = {};
let bad = 0;
let hangs = 0;
let maxMs = 0;
let requests = 0;
const firstOkMs = s.credentials.map(() => -1);
const end = s.startAt + s.untilMs;

async function connector(i: number) {
  const headers = { authorization: `Bearer ${s.credentials[i]}`, 'content-type': 'application/json' };
  let failures = 0;
  let interval = 10;
  await sleep(Math.max(0, s.startAt - Date.now()));
  while (Date.now() < end) {
    const sent = Date.now();
    let wait: number;
    requests++;
    try {
      const res = await fetch(`${s.url}/v1/connector/heartbeat`, { method: 'POST', headers, body: HEARTBEAT_BODY, signal: AbortSignal.timeout(15_000) });
      const text = await res.text();
      const ra = res.headers.get('retry-after');
      const key = `${res.status}${res.status >= 400 && ra ? '+RA' : ''}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (res.ok) {
        if (firstOkMs[i] === -1) firstOkMs[i] = Date.now() - s.startAt;
        interval = (JSON.parse(text) as { heartbeatIntervalSeconds?: number }).heartbeatIntervalSeconds || interval;
        failures = 0;
        wait = jittered(interval * 1000, 0.1);
      } else {
        if (!((res.status === 429 || res.status === 503) && ra)) bad++;
        wait = retryDelay(failures++, retryAfterMs(ra), { ...DEFAULT_BACKOFF, capMs: 30_000 });
      }
    } catch (e) {
      const hang = (e as Error).name === 'TimeoutError';
      if (hang) hangs++;
      const key = hang ? 'hang' : 'conn err';
      statuses[key] = (statuses[key] ?? 0) + 1;
      bad++;
      wait = retryDelay(failures++, undefined, { ...DEFAULT_BACKOFF, capMs: 30_000 });
    }
    maxMs = Math.max(maxMs, Date.now() - sent);
    await sleep(Math.min(wait, Math.max(0, end - Date.now())));
  }
}

await Promise.all(s.credentials.map((_, i) => connector(i)));
parentPort!.postMessage({ statuses, bad, hangs, maxMs, firstOkMs, requests } satisfies StormShareResult);
