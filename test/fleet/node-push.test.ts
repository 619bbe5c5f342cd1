import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openNodePostgres } from '../../db/node-postgres.js';
import { PgPush } from '../../worker/node/pg-push.js';
import { NodePush } from '../../worker/node/node-push.js';
import { createDatabase } from '../support/postgres.js';
import { nodeServerForFile } from '../support/node-server.js';

const ADMIN = `fp_${'a'.repeat(43)}`;
const server = nodeServerForFile(ADMIN);

async function api(method: string, path: string, body?: unknown, token = ADMIN) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
}

describe('push on the Node server', () => {
  it('a WebSocket watch receives { revision } on every change', async () => {
    await api('PUT', '/v1/tenants/acme', { spec: { displayName: 'A' } });
    await api('PUT', '/v1/tenants/acme/clusters/ws', { metadata: { labels: { v: '1' } }, spec: {} });
    const jt = await api('POST', '/v1/tenants/acme/clusters/ws/join-tokens', {});
    const reg = await api('POST', '/v1/connector/register', {
      joinToken: jt.body.token, cluster: { kubernetesVersion: 'v1.31.2', nodeCount: 1, connectorVersion: '0.1.0' },
    });
    const credential = reg.body.credential;
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/connector/watch?revision=0`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    const messages: number[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)).revision));
    await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
    await api('PUT', '/v1/tenants/acme/clusters/ws', { metadata: { labels: { v: '2' } }, spec: {} });
    await api('PUT', '/v1/tenants/acme/clusters/ws', { metadata: { labels: { v: '3' } }, spec: {} });
    const deadline = Date.now() + 2000;
    while (messages.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    expect(messages).toHaveLength(2);
    expect(messages[1]!).toBeGreaterThan(messages[0]!);
    // a socket opened with a revision that is already behind hears the current one at once
    const behind = new WebSocket(`${server.url.replace('http', 'ws')}/v1/connector/watch?revision=0`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    const first = await new Promise<number>((r) => behind.once('message', (d) => r(JSON.parse(String(d)).revision)));
    expect(first).toBe(messages[1]);
    // revoking closes it with 1008
    const closed = new Promise<number>((r) => behind.once('close', (code) => r(code)));
    expect((await api('POST', '/v1/tenants/acme/clusters/ws/revoke')).status).toBe(200);
    expect(await closed).toBe(1008);

    const unauth = new WebSocket(`${server.url.replace('http', 'ws')}/v1/connector/watch?revision=0`);
    const status = await new Promise<number>((r) => unauth.once('unexpected-response', (_req, res) => r(res.statusCode ?? 0)));
    expect(status).toBe(401);
  });
});

describe('push between Node replicas over Postgres LISTEN/NOTIFY', () => {
  it('a publish on one replica wakes a waiter on another', async () => {
    const database = await createDatabase();
    const one = openNodePostgres(database.url, 2);
    const two = openNodePostgres(database.url, 2);
    const a = new PgPush(new NodePush(), one.pool);
    const b = new PgPush(new NodePush(), two.pool);
    try {
      await a.listen();
      await b.listen();
      const target = { tenantUid: crypto.randomUUID(), clusterUid: crypto.randomUUID() };
      const waiting = b.wait(target, 5, 5000);
      const t = performance.now();
      await a.publish([{ target, revision: 6 }]);
      expect(await waiting).toBe(6);
      expect(performance.now() - t).toBeLessThan(1000);
      expect(await b.wait(target, 6, 200)).toBeUndefined();
      // one change can move thousands of clusters: their notifications go out in batches, and each is heard
      const many = Array.from({ length: 10_000 }, (_, i) => ({
        target: { tenantUid: i % 3 ? target.tenantUid : crypto.randomUUID(), clusterUid: crypto.randomUUID() }, revision: 9 + (i % 2),
      }));
      const picked = [many[0]!, many[1_234]!, many[5_001]!, many[9_999]!];
      const heard = Promise.all(picked.map((p) => b.wait(p.target, 0, 5000)));
      await a.publish(many);
      expect(await heard).toEqual(picked.map((p) => p.revision));
      // a disconnect ends the other replica's wait at once
      const ended = b.wait(picked[1]!.target, 100, 5000);
      const d = performance.now();
      await a.disconnect(picked[1]!.target);
      expect(await ended).toBeUndefined();
      expect(performance.now() - d).toBeLessThan(1000);
    } finally {
      a.close();
      b.close();
      await one.pool.end();
      await two.pool.end();
      await database.drop();
    }
  });
});
