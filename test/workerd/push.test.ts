import { env, exports } from 'cloudflare:workers';
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PushHub } from '../../worker/push/push-hub.js';
import { call, origin, type Json } from './call.js';

/**
 * Push on Workers, end to end over the HTTP API: the worker in workerd, its
 * PushHub Durable Object, the real Postgres through the Neon driver.
 */

const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);

interface Hub {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}
const hubs = env.PUSH_HUB as Hub;

/** workerd's client end of a WebSocket: `accept()` before use. */
type WorkerSocket = WebSocket & { accept(): void };
const socketOf = (res: Response) => (res as Response & { webSocket: WorkerSocket | null }).webSocket;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns `want`; the last value otherwise. */
async function until<T>(probe: () => Promise<T>, want: T, ms = 3_000) {
  const deadline = Date.now() + ms;
  let got = await probe();
  while (got !== want && Date.now() < deadline) {
    await sleep(20);
    got = await probe();
  }
  return got;
}

/** Resolves with the value, or rejects when `ms` passes first. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
    }),
  ]);
}

/** A WebSocket's messages as a queue of parsed JSON. */
function inbox(ws: WebSocket) {
  const queue: Json[] = [];
  const wanted: ((m: Json) => void)[] = [];
  ws.addEventListener('message', (e: MessageEvent) => {
    const text = String(e.data);
    let m: Json;
    try {
      m = JSON.parse(text) as Json;
    } catch {
      m = { text };
    }
    const next = wanted.shift();
    if (next) next(m);
    else queue.push(m);
  });
  return {
    next: (ms: number, what: string) =>
      within(
        new Promise<Json>((resolve) => {
          const m = queue.shift();
          if (m) resolve(m);
          else wanted.push(resolve);
        }),
        ms,
        what,
      ),
  };
}

async function openWatchSocket(credential: string, revision: number) {
  const res = await exports.default.fetch(`${origin}/v1/connector/watch?revision=${revision}`, {
    headers: { authorization: `Bearer ${credential}`, upgrade: 'websocket' },
  });
  const ws = socketOf(res);
  return { status: res.status, ws, text: ws ? '' : await res.text() };
}

const tenant = `push-${Date.now().toString(36)}`;
const cluster = 'edge-1';
const clusterPath = `/v1/tenants/${tenant}/clusters/${cluster}`;
const FACTS = { kubernetesVersion: 'v1.31.0', nodeCount: 3 };

let tenantUid = '';
let clusterUid = '';
let credential = '';
let labelCount = 0;

const hub = () => hubs.get(hubs.idFromName(tenantUid));
/** Long polls parked in the tenant's hub right now. */
const parked = () => runInDurableObject<PushHub, number>(hub(), (h) => h.waiting);

function closed(ws: WebSocket, ms: number) {
  return within(new Promise<number>((resolve) => ws.addEventListener('close', (e: CloseEvent) => resolve(e.code))), ms, 'close');
}

/** A label change: moves the desired revision and publishes through the hub. */
async function relabel() {
  labelCount += 1;
  const res = await call('PUT', clusterPath, adminToken, { spec: {}, metadata: { labels: { env: 'a', step: String(labelCount) } } });
  expect(res.status, res.text).toBe(200);
  return res.json.status.desiredRevision as number;
}

async function desiredRevision() {
  const res = await call('POST', '/v1/connector/heartbeat', credential, FACTS);
  expect(res.status, res.text).toBe(200);
  return res.json.desiredRevision as number;
}

describe('push in workerd (PushHub Durable Object)', () => {
  beforeAll(async () => {
    const t = await call('PUT', `/v1/tenants/${tenant}`, adminToken, { spec: { displayName: 'x' } });
    expect(t.status, t.text).toBe(201);
    tenantUid = t.json.metadata.uid;
  });

  it('creates a cluster, mints a join token, serves the manifest and registers exactly once', async () => {
    const created = await call('PUT', clusterPath, adminToken, { spec: {}, metadata: { labels: { env: 'a' } } });
    expect(created.status, created.text).toBe(201);
    expect(created.json.status.phase).toBe('Pending');

    const jt = await call('POST', `${clusterPath}/join-tokens`, adminToken, {});
    expect(jt.status, jt.text).toBe(201);
    expect(jt.json).toMatchObject({ token: expect.any(String), installUrl: expect.any(String), command: expect.any(String) });
    expect(jt.json.command).toContain(jt.json.installUrl);

    const installPath = new URL(jt.json.installUrl).pathname;
    const manifest = await exports.default.fetch(`${origin}${installPath}`);
    const yaml = new TextDecoder().decode(await manifest.arrayBuffer());
    expect(manifest.status, yaml).toBe(200);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(yaml).toContain('kind: Deployment');
    expect(yaml).toContain(jt.json.token);

    const body = { joinToken: jt.json.token, cluster: { ...FACTS, connectorVersion: '0.1.0' } };
    const reg = await call('POST', '/v1/connector/register', undefined, body);
    expect(reg.status, reg.text).toBe(200);
    expect(reg.json.cluster).toMatchObject({ tenant, name: cluster, uid: created.json.metadata.uid });
    credential = reg.json.credential;
    clusterUid = reg.json.cluster.uid;
    expect(credential).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const again = await call('POST', '/v1/connector/register', undefined, body);
    expect(again.status, again.text).toBe(401);
  });

  it('heartbeats with the credential; the cluster turns Ready', async () => {
    const hb = await call('POST', '/v1/connector/heartbeat', credential, FACTS);
    expect(hb.status, hb.text).toBe(200);
    expect(hb.json.desiredRevision).toEqual(expect.any(Number));

    const got = await call('GET', clusterPath, adminToken);
    expect(got.status, got.text).toBe(200);
    expect(got.json.status.phase).toBe('Ready');
    expect(got.json.status.desiredRevision).toBe(hb.json.desiredRevision);
  });

  it('a parked long poll wakes within 2 s of a label change', async () => {
    const before = await desiredRevision();
    let settledAt = 0;
    const watch = call('GET', `/v1/connector/watch?revision=${before}&timeoutSeconds=10`, credential).then((r) => {
      settledAt = Date.now();
      return r;
    });
    expect(await until(parked, 1), 'the watch never parked in the hub').toBe(1);
    await sleep(200);
    expect(settledAt, 'the watch returned before anything changed').toBe(0);

    const putAt = Date.now();
    const bumped = await relabel();
    const putDone = Date.now();
    expect(bumped).toBeGreaterThan(before);
    const res = await within(watch, 5_000, 'watch');
    const latency = settledAt - putAt;
    console.log(`long-poll wake-up: ${latency} ms after the PUT began (${settledAt - putDone} ms after it answered)`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.revision).toBeGreaterThan(before);
    expect(res.json.revision).toBe(bumped);
    expect(latency).toBeLessThan(2_000);
    expect(await parked()).toBe(0);
  });

  it('a parked long poll holds no database connection', async () => {
    const proxy = String(env.FLEETPLANE_NEON_WS_PROXY).replace(/\/v1$/, '');
    const open = async () => ((await (await fetch(`http://${proxy}/connections`)).json()) as { open: number }).open;
    const before = await desiredRevision();
    // the heartbeat's writer object keeps its connections (heartbeats/heartbeat-writer-do.ts); none is the watch's
    const kept = await open();
    const watch = call('GET', `/v1/connector/watch?revision=${before}&timeoutSeconds=10`, credential);
    expect(await until(parked, 1)).toBe(1);
    expect(await until(async () => (await open()) <= kept, true), 'a connection stays open while the watch waits').toBe(true);
    const bumped = await relabel();
    expect((await within(watch, 5_000, 'watch')).json.revision).toBe(bumped);
  });

  it('a long poll the client abandons leaves nothing parked in the hub', async () => {
    const current = await desiredRevision();
    const abort = new AbortController();
    const watch = exports.default.fetch(`${origin}/v1/connector/watch?revision=${current}&timeoutSeconds=30`, {
      headers: { authorization: `Bearer ${credential}` },
      signal: abort.signal,
    });
    watch.catch(() => undefined);
    expect(await until(parked, 1)).toBe(1);
    abort.abort();
    await expect(watch).rejects.toThrow();
    expect(await until(parked, 0), 'the abandoned wait is still parked').toBe(0);
  });

  it('a long poll with the current revision returns after ~1 s with the same revision', async () => {
    const current = await desiredRevision();
    const t0 = Date.now();
    const res = await call('GET', `/v1/connector/watch?revision=${current}&timeoutSeconds=1`, credential);
    const took = Date.now() - t0;
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ revision: current });
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(3_000);
  });

  it('a long poll behind the current revision answers at once', async () => {
    const current = await desiredRevision();
    const t0 = Date.now();
    const res = await call('GET', `/v1/connector/watch?revision=${current - 1}&timeoutSeconds=10`, credential);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ revision: current });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('a WebSocket watch receives {revision} on each label change', async () => {
    const before = await desiredRevision();
    const { status, ws, text } = await openWatchSocket(credential, before);
    expect(status, text).toBe(101);
    expect(ws).toBeTruthy();
    ws!.accept();
    const box = inbox(ws!);

    const putAt = Date.now();
    const first = await relabel();
    const m1 = await box.next(5_000, 'first message');
    console.log(`websocket wake-up: ${Date.now() - putAt} ms after the PUT began`);
    expect(m1).toEqual({ revision: first });
    expect(m1.revision).toBeGreaterThan(before);

    const second = await relabel();
    const m2 = await box.next(5_000, 'second message');
    expect(m2).toEqual({ revision: second });
    expect(second).toBeGreaterThan(first);

    ws!.send('ping');
    expect(await box.next(2_000, 'pong')).toEqual({ text: 'pong' });

    const closing = closed(ws!, 2_000);
    ws!.close(1000, 'done');
    expect(await closing).toBe(1000);
    // the watch's own long-poll subscription was dropped when it upgraded
    expect(await parked()).toBe(0);
  });

  it('a hibernated hub wakes and still reaches the socket', async () => {
    const before = await desiredRevision();
    const { status, ws, text } = await openWatchSocket(credential, before);
    expect(status, text).toBe(101);
    ws!.accept();
    const box = inbox(ws!);

    expect(await parked()).toBe(0);
    await evictDurableObject(hub());

    const bumped = await relabel();
    const m = await box.next(5_000, 'message after eviction');
    expect(m).toEqual({ revision: bumped });
    expect(bumped).toBeGreaterThan(before);
    // a close without a code (1005 on the hub's side) is still answered
    const closing = closed(ws!, 2_000);
    ws!.close();
    expect(await closing).toBe(1000);
  });

  it('the hub remembers a revision published before a waiter arrives', async () => {
    // a publish can overtake the watch's own /wait or socket request to the hub
    const current = await desiredRevision();
    await evictDurableObject(hub()); // forget what the earlier tests published
    const q = (p: Record<string, number>) =>
      new URLSearchParams({ cluster: clusterUid, ...Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])) });
    const pub = await hub().fetch(`https://push-hub/publish?${q({ revision: current })}`, { method: 'POST' });
    expect(pub.status).toBe(204);

    const t0 = Date.now();
    const waited = await hub().fetch(`https://push-hub/wait?${q({ after: current - 1, timeoutMs: 5_000 })}`);
    expect(waited.status).toBe(200);
    expect(await waited.json()).toEqual({ revision: current });
    expect(Date.now() - t0).toBeLessThan(1_000);

    const res = await hub().fetch(`https://push-hub/socket?${q({ after: current - 1 })}`, { headers: { upgrade: 'websocket' } });
    expect(res.status).toBe(101);
    const ws = socketOf(res)!;
    ws.accept();
    expect(await inbox(ws).next(2_000, 'catch-up message')).toEqual({ revision: current });
    ws.close(1000, 'done');
  });

  it('a WebSocket opened behind the current revision hears it at once', async () => {
    const current = await desiredRevision();
    const { status, ws } = await openWatchSocket(credential, current - 1);
    expect(status).toBe(101);
    ws!.accept();
    expect(await inbox(ws!).next(2_000, 'current revision')).toEqual({ revision: current });
    ws!.close(1000, 'done');
  });

  it('the idle poll: 304 only at the current revision, a new one served at once (no stale revision cached in an isolate)', async () => {
    const poll = (revision: number) => exports.default.fetch(`${origin}/v1/connector/desired-state`, {
      headers: { authorization: `Bearer ${credential}`, 'if-none-match': `"${revision}"` },
    });
    for (let i = 0; i < 5; i++) {
      const before = await desiredRevision();
      expect((await poll(before)).status).toBe(304);
      const after = await relabel();
      const served = await poll(before);
      expect(served.status, `change ${i}`).toBe(200);
      expect(served.headers.get('etag')).toBe(`"${after}"`);
      await served.arrayBuffer();
    }
  });

  it('revoking ends open watches (socket closed with 1008, long poll 401) and the old credential fails', async () => {
    // the test before spends most of this connector's burst (10/s, 20 at once): its long poll here was refused 429
    await sleep(2_000);
    const current = await desiredRevision();
    const { ws } = await openWatchSocket(credential, current);
    ws!.accept();
    const socketClosed = closed(ws!, 3_000);
    const longPoll = call('GET', `/v1/connector/watch?revision=${current}&timeoutSeconds=20`, credential);
    expect(await until(parked, 1)).toBe(1);
    const t0 = Date.now();
    const revoked = await call('POST', `${clusterPath}/revoke`, adminToken);
    expect(revoked.status, revoked.text).toBe(200);
    expect(await socketClosed).toBe(1008);
    const ended = await within(longPoll, 3_000, 'long poll after revoke');
    expect(ended.status, ended.text).toBe(401);
    expect(Date.now() - t0).toBeLessThan(3_000);
    const hb = await call('POST', '/v1/connector/heartbeat', credential, FACTS);
    expect(hb.status, hb.text).toBe(401);
    // the isolate verified this credential's signature before (and keeps it verified): the idle poll still refuses it
    const idle = await call('GET', '/v1/connector/desired-state', credential);
    expect(idle.status, idle.text).toBe(401);
    const watch = await call('GET', '/v1/connector/watch?revision=0&timeoutSeconds=1', credential);
    expect(watch.status, watch.text).toBe(401);
  });
});
