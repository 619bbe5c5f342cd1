/** A long poll parked on the real Node server (worker/lib/parked.ts): answered after the middleware chain returned, released when its client leaves. */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalPush } from '../../worker/push/local-push.js';
import { startTempNodeServer } from '../support/node-server.js';

const ADMIN = `fp_${'p'.repeat(43)}`;
let running: Awaited<ReturnType<typeof startTempNodeServer>>;
let url: string;
let credential: string;
const waiting = () => (running.server.push as LocalPush).waiting;

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function until(ok: () => boolean, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return ok();
}

/** A watch at the cluster's current revision, on a connection of its own. */
async function watch(requestId: string) {
  const { revision } = await (await fetch(`${url}/v1/connector/watch?revision=0&timeoutSeconds=0`, {
    headers: { authorization: `Bearer ${credential}` },
  })).json() as { revision: number };
  const req = http.get(`${url}/v1/connector/watch?revision=${revision}&timeoutSeconds=20`, {
    agent: false, headers: { authorization: `Bearer ${credential}`, 'x-request-id': requestId },
  });
  const answered = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
  return { req, answered, revision };
}

beforeAll(async () => {
  running = await startTempNodeServer(ADMIN);
  url = running.server.url;
  await api('PUT', '/v1/tenants/acme', { spec: { displayName: 'A' } });
  await api('PUT', '/v1/tenants/acme/clusters/p', { metadata: { labels: { v: '1' } }, spec: {} });
  const jt = await api('POST', '/v1/tenants/acme/clusters/p/join-tokens', {});
  const reg = await api('POST', '/v1/connector/register', {
    joinToken: jt.body.token, cluster: { kubernetesVersion: 'v1.31.2', nodeCount: 1, connectorVersion: '0.1.0' },
  });
  credential = reg.body.credential;
});
afterAll(() => running.close());

describe('a parked watch on the Node server', () => {
  it('is woken with the new revision, as JSON, carrying the headers the middleware set', async () => {
    const w = await watch('parked-1');
    expect(await until(() => waiting() === 1)).toBe(true);
    expect((await api('PUT', '/v1/tenants/acme/clusters/p', { metadata: { labels: { v: '2' } }, spec: {} })).status).toBe(200);
    const res = await w.answered;
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-request-id']).toBe('parked-1');
    expect(JSON.parse(res.body).revision).toBeGreaterThan(w.revision);
    expect(waiting()).toBe(0);
  });

  it('is released as soon as its client leaves, not at its timeout', async () => {
    const w = await watch('parked-2');
    w.answered.catch(() => {});
    expect(await until(() => waiting() === 1)).toBe(true);
    w.req.destroy();
    expect(await until(() => waiting() === 0, 1000)).toBe(true);
  });

  it('ends with a 401 problem when the credential is revoked while it waits', async () => {
    const w = await watch('parked-3');
    expect(await until(() => waiting() === 1)).toBe(true);
    expect((await api('POST', '/v1/tenants/acme/clusters/p/revoke')).status).toBe(200);
    const res = await w.answered;
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['x-request-id']).toBe('parked-3');
    expect(JSON.parse(res.body)).toMatchObject({ status: 401, requestId: 'parked-3' });
  });
});
