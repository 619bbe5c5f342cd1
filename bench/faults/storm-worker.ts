/**
 * A share of the simulated fleet: each connector heartbeats as connectors/agent.ts
 * does (15 s request timeout; after a success the next one a jittered heartbeat interval
 * later; after a failure retryDelay with Retry-After honoured, capped at 30 s),
 * all starting at the same instant, until `untilMs`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { jittered, retryAfterMs, retryDelay, DEFAULT_BACKOFF, sleep } from '../../connectors/backoff.js';
import { HEARTBEAT_INTERVAL_SECONDS } from '../../worker/domain/clusters/phase.js';
import { HEARTBEAT_BODY } from '../heartbeats.js';
import { RawConnection, requestBytes } from '../raw-http.js';

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

type Outcome = { status: number; retryAfter: string | undefined } | { error: 'hang' | 'conn err' };

/**
 * One connector's connection, kept alive between its heartbeats as the
 * agent's is, over the bench's raw client (bench/raw-http.ts): fetch took
 * more CPU on the machine's two cores than the server it storms.
 */
class Link {
  private conn: RawConnection | undefined;
  private settle: ((o: Outcome) => void) | undefined;
  constructor(private readonly bytes: Buffer) {}

  send(timeoutMs: number): Promise<Outcome> {
    if (!this.conn?.reusable) {
      this.conn = new RawConnection(url, {
        answered: (c) => this.settle?.({ status: c.status, retryAfter: c.retryAfter }),
        closed: (_c, failed, timedOut) => { if (failed) this.settle?.({ error: timedOut ? 'hang' : 'conn err' }); },
      });
    }
    return new Promise((resolve) => {
      this.settle = (o) => {
        this.settle = undefined;
        resolve(o);
      };
      this.conn!.send(this.bytes, timeoutMs);
    });
  }
}

const url = new URL(`${s.url}/v1/connector/heartbeat`);
const body = Buffer.from(HEARTBEAT_BODY);

async function connector(i: number) {
  const link = new Link(requestBytes(url, 'POST', { authorization: `Bearer ${s.credentials[i]}` }, body));
  let failures = 0;
  await sleep(Math.max(0, s.startAt - Date.now()));
  while (Date.now() < end) {
    const sent = Date.now();
    let wait: number;
    requests++;
    const o = await link.send(15_000);
    if ('status' in o) {
      const key = `${o.status}${o.status >= 400 && o.retryAfter ? '+RA' : ''}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (o.status >= 200 && o.status < 300) {
        if (firstOkMs[i] === -1) firstOkMs[i] = Date.now() - s.startAt;
        failures = 0;
        wait = jittered(HEARTBEAT_INTERVAL_SECONDS * 1000, 0.1);
      } else {
        if (!((o.status === 429 || o.status === 503) && o.retryAfter)) bad++;
        wait = retryDelay(failures++, retryAfterMs(o.retryAfter), { ...DEFAULT_BACKOFF, capMs: 30_000 });
      }
    } else {
      if (o.error === 'hang') hangs++;
      statuses[o.error] = (statuses[o.error] ?? 0) + 1;
      bad++;
      wait = retryDelay(failures++, undefined, { ...DEFAULT_BACKOFF, capMs: 30_000 });
    }
    maxMs = Math.max(maxMs, Date.now() - sent);
    await sleep(Math.min(wait, Math.max(0, end - Date.now())));
  }
}

await Promise.all(s.credentials.map((_, i) => connector(i)));
parentPort!.postMessage({ statuses, bad, hangs, maxMs, firstOkMs, requests } satisfies StormShareResult);
