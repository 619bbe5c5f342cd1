import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlane, ControlPlaneError } from '../../connectors/control-plane.js';
import { startHealthServer } from '../../connectors/health-server.js';
import { startAgent, startCluster, until } from './support.js';

/** A scripted control plane: what each connector call answers is up to the test. */
function fakeControlPlane() {
  const hits: { path: string; at: number; upgrade: boolean; auth?: string; body?: string }[] = [];
  const state = {
    revision: 1,
    heartbeat: (): { status: number; headers?: Record<string, string>; body?: unknown } => ({ status: 200, body: { desiredRevision: state.revision, heartbeatIntervalSeconds: 1 } }),
    objects: [] as unknown[],
    /** how long a heartbeat's answer is held */
    heartbeatDelayMs: 0,
  };
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const hit: (typeof hits)[number] = { path: url.pathname, at: Date.now(), upgrade: !!req.headers.upgrade, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) };
    hits.push(hit);
    let body = '';
    for await (const chunk of req) body += chunk;
    if (body) hit.body = body;
    const json = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body === undefined ? undefined : JSON.stringify(body));
    };
    switch (url.pathname) {
      case '/v1/connector/register':
        return json(200, { credential: 'cred-1', expiresAt: new Date(Date.now() + 3600_000).toISOString(), cluster: { tenant: 'acme', name: 'c', uid: 'u' }, heartbeatIntervalSeconds: 1 });
      case '/v1/connector/heartbeat': {
        await new Promise((r) => setTimeout(r, state.heartbeatDelayMs));
        const a = state.heartbeat();
        return json(a.status, a.body, a.headers);
      }
      case '/v1/connector/desired-state':
        if (req.headers['if-none-match'] === `"${state.revision}"`) return json(304);
        return json(200, { revision: state.revision, objects: state.objects, apps: [] }, { etag: `"${state.revision}"` });
      case '/v1/connector/watch':
        if (req.headers.upgrade) return json(400, { title: 'no upgrades through this proxy' });
        // long poll: answer when the revision moves past the asked one, or after a second
        for (let i = 0; i < 20 && state.revision <= Number(url.searchParams.get('revision')); i++) await new Promise((r) => setTimeout(r, 50));
        return json(200, { revision: state.revision });
      case '/v1/connector/status':
        return json(204);
      default:
        return json(404);
    }
  });
  return new Promise<{ url: string; hits: typeof hits; state: typeof state; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, state,
      close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
    }));
  });
}

let c: Awaited<ReturnType<typeof startCluster>>;
beforeAll(async () => {
  c = await startCluster();
});
afterAll(() => c.close());

describe('the connector protocol, against a scripted control plane', () => {
  it('falls back to long polling when WebSocket upgrades fail, and still hears new revisions', async () => {
    const cp = await fakeControlPlane();
    const a = startAgent({ url: cp.url, joinToken: 'jt', kube: c.kube, secretName: 'proto-1' });
    try {
      await until('ready', () => a.agent.ready);
      expect(cp.hits.some((h) => h.path === '/v1/connector/watch' && h.upgrade)).toBe(true);
      await until('long polling', () => cp.hits.some((h) => h.path === '/v1/connector/watch' && !h.upgrade));
      expect(cp.hits.filter((h) => h.path === '/v1/connector/watch' && !h.upgrade).every((h) => h.auth === 'Bearer cred-1')).toBe(true);
      cp.state.revision = 2;
      await until('applied revision 2', () => a.agent.appliedRevision === 2, 5000);
    } finally {
      await a.agent.close();
      await cp.close();
    }
  });

  it('a condition that changes while a heartbeat is on its way goes out within a second or so, not at the next interval', async () => {
    const cp = await fakeControlPlane();
    cp.state.heartbeat = () => ({ status: 200, body: { desiredRevision: cp.state.revision, heartbeatIntervalSeconds: 30 } });
    const a = startAgent({ url: cp.url, joinToken: 'jt', kube: c.kube, secretName: 'proto-conditions' });
    try {
      await until('ready', () => a.agent.ready);
      const heartbeats = () => cp.hits.filter((h) => h.path === '/v1/connector/heartbeat');
      await until('a heartbeat sent', () => heartbeats().length > 0);
      cp.state.heartbeatDelayMs = 400;
      // a heartbeat now, held by the control plane; the condition changes while it waits
      a.agent.conditions.set('Synced', 'True', 'Applied', 'moments ago');
      const sent = heartbeats().length;
      await until('the held heartbeat sent', () => heartbeats().length > sent);
      const changedAt = Date.now();
      a.agent.conditions.set('DriftRestored', 'True', 'DriftRestored', 'while a heartbeat was on its way');
      cp.state.heartbeatDelayMs = 0;
      const carrying = await until('a heartbeat carrying it', () => heartbeats().find((h) => h.body?.includes('while a heartbeat was on its way')), 3_000);
      // the held one left before the change; the next is due 30 s later, but goes at most a second after the last
      expect(carrying.at - changedAt).toBeLessThan(2_000);
    } finally {
      await a.agent.close();
      await cp.close();
    }
  });

  it('honours Retry-After on 429 and 503, backs off on errors, and a 401 on heartbeat stops it without deleting anything', async () => {
    const cp = await fakeControlPlane();
    const a = startAgent({ url: cp.url, joinToken: 'jt', kube: c.kube, secretName: 'proto-2' });
    try {
      await until('ready', () => a.agent.ready);
      let answered = 0;
      cp.state.heartbeat = () => (answered++ % 2 === 0
        ? { status: 429, headers: { 'retry-after': '2' }, body: { title: 'slow down' } }
        : { status: 503, headers: { 'retry-after': '2' }, body: { title: 'busy' } });
      const from = cp.hits.length;
      await until('three refused heartbeats', () => cp.hits.slice(from).filter((h) => h.path === '/v1/connector/heartbeat').length >= 3, 10_000);
      const times = cp.hits.slice(from).filter((h) => h.path === '/v1/connector/heartbeat').map((h) => h.at);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1990);
      expect(a.agent.revoked).toBe(false);
      cp.state.heartbeat = () => ({ status: 401, body: { title: 'Unauthorized' } });
      await until('revoked', () => a.agent.revoked, 10_000);
      expect(a.agent.readiness()).toMatch(/revoked/);
      expect(c.server.requests.some((r) => r.method === 'DELETE')).toBe(false);
    } finally {
      await a.agent.close();
      await cp.close();
    }
  });

  it('ControlPlane: an unreachable control plane is status 0, not an answer', async () => {
    const cp = new ControlPlane('http://127.0.0.1:1', () => 'x', 2000);
    const e = await cp.heartbeat({ kubernetesVersion: 'v', nodeCount: 0 }).catch((x) => x);
    expect(e).toBeInstanceOf(ControlPlaneError);
    expect(e.status).toBe(0);
    cp.close();
  });

  it('ControlPlane: a kept-alive connection the server drops as a request goes out is retried once on a new one', async () => {
    // the second request on each connection finds it closed, as when a server's idle timeout races a heartbeat
    const served = new Map<unknown, number>();
    const dropper = createServer((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n === 2) return req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ desiredRevision: 3, heartbeatIntervalSeconds: 10 }));
    });
    await new Promise<void>((r) => dropper.listen(0, '127.0.0.1', r));
    const cp = new ControlPlane(`http://127.0.0.1:${(dropper.address() as AddressInfo).port}`, () => 'x');
    try {
      expect((await cp.heartbeat({ kubernetesVersion: 'v', nodeCount: 0 })).desiredRevision).toBe(3);
      expect((await cp.heartbeat({ kubernetesVersion: 'v', nodeCount: 0 })).desiredRevision).toBe(3);
      expect(served.size).toBe(2); // the retry went out on a second connection
    } finally {
      cp.close();
      dropper.close();
    }
  });

  it('/healthz, /readyz and /metrics', async () => {
    const cp = await fakeControlPlane();
    const a = startAgent({ url: cp.url, joinToken: 'jt', kube: c.kube, secretName: 'proto-3' });
    const h = await startHealthServer(0, () => a.agent.readiness(), a.metrics.registry);
    const get = (p: string) => fetch(`http://127.0.0.1:${h.port}${p}`).then(async (r) => ({ status: r.status, text: await r.text() }));
    try {
      expect((await get('/healthz')).status).toBe(200);
      await until('ready', () => a.agent.ready);
      expect(await get('/readyz')).toEqual({ status: 200, text: 'ok\n' });
      const m = (await get('/metrics')).text;
      for (const name of ['applies_total', 'apply_errors_total', 'prunes_total', 'drift_restored_total', 'last_successful_sync_timestamp_seconds', 'revision_lag', 'desired_revision', 'applied_revision']) {
        expect(m).toContain(`fleetplane_connector_${name}`);
      }
      expect(Number(/^fleetplane_connector_last_successful_sync_timestamp_seconds (\S+)$/m.exec(m)![1])).toBeGreaterThan(Date.now() / 1000 - 60);
      cp.state.heartbeat = () => ({ status: 401 });
      await until('revoked', () => a.agent.revoked, 10_000);
      expect(await get('/readyz')).toMatchObject({ status: 503, text: expect.stringMatching(/revoked/) });
    } finally {
      h.server.close();
      await a.agent.close();
      await cp.close();
    }
  });
});
