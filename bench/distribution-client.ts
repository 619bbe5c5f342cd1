/**
 * The API side of the distribution rounds, in a worker thread started once (so
 * neither the server nor the connectors' event loop delays it, and no thread
 * starts while a round is timed). Per round message: the app PUT, then
 * `GET /v1/tenants/{t}/apps/{app}` from one client every `pollMs` until every
 * cluster is Ready at a revision past the one it held (or `maxSec` passes).
 * Times are epoch ms from performance.timeOrigin, comparable across threads.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';

export interface RoundRequest {
  baseUrl: string;
  token: string;
  path: string;
  body: unknown;
  /** per cluster name: the revision it held before this PUT */
  held: Record<string, number>;
  pollMs: number;
  maxSec: number;
}

export interface RoundResult {
  sentAt: number;
  put: { status: number; ms: number; text: string; generation: number | undefined };
  /** per cluster name: epoch ms when the API first showed it Ready at a newer revision, and that revision */
  visible: Record<string, { at: number; revision: number }>;
  polls: number;
  /** ms per GET of the app (sorted) */
  getMs: number[];
  /** the last status seen, for a failure message */
  last: { name: string; phase: string; revision: number | null }[];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function call(req: RoundRequest, method: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { authorization: `Bearer ${req.token}` };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const r = http.request(`${req.baseUrl}${req.path}`, { method, agent, headers, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ status: 0, text: String(e) }));
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (e) => resolve({ status: 0, text: String(e) }));
    r.end(body);
  });
}

async function round(req: RoundRequest): Promise<RoundResult> {
  const names = Object.keys(req.held);
  const visible: RoundResult['visible'] = {};
  const getMs: number[] = [];
  let last: RoundResult['last'] = [];
  let polls = 0;

  const sentAt = now();
  const putting = call(req, 'PUT', JSON.stringify(req.body)).then((r) => {
    let generation: number | undefined;
    try { generation = Number(JSON.parse(r.text).metadata.generation); } catch { /* not JSON */ }
    return { status: r.status, ms: now() - sentAt, text: r.status >= 300 ? r.text.slice(0, 500) : '', generation };
  });
  const deadline = sentAt + req.maxSec * 1000;
  // polling starts with the PUT: the status cannot change before it commits, so nothing is missed
  while (Object.keys(visible).length < names.length && now() < deadline) {
    const t = now();
    const r = await call(req, 'GET');
    const seen = now();
    polls++;
    getMs.push(seen - t);
    if (r.status === 200) {
      const clusters = (JSON.parse(r.text).status?.clusters ?? []) as { name: string; phase: string; revision: number | null }[];
      last = clusters.map((c) => ({ name: c.name, phase: c.phase, revision: c.revision }));
      for (const c of clusters) {
        if (visible[c.name] || c.phase !== 'Ready' || c.revision === null) continue;
        if (c.revision > (req.held[c.name] ?? 0)) visible[c.name] = { at: seen, revision: c.revision };
      }
    }
    await sleep(Math.max(0, req.pollMs - (now() - t)));
  }
  const put = await putting;
  return { sentAt, put, visible, polls, getMs: getMs.sort((a, b) => a - b), last };
}

parentPort!.on('message', (m: RoundRequest | 'stop') => {
  if (m === 'stop') {
    agent.destroy();
    parentPort!.close();
    return;
  }
  void round(m).then((r) => parentPort!.postMessage(r));
});
