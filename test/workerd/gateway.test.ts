import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Tunnel } from '../../worker/gateway/tunnel/tunnel.js';
import { call, origin } from './call.js';

/**
 * The cluster gateway on Workers: the tenant's PushHub Durable Object holds
 * the connector's watch socket and relays each gateway request over it as
 * tunnel frames. The connector's end here is the same Tunnel code the real
 * connector runs, answering as an API server would.
 */
const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);
const tenant = `gw-${Date.now().toString(36)}`;
type WorkerSocket = WebSocket & { accept(): void };
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function join(name: string) {
  expect((await call('PUT', `/v1/tenants/${tenant}/clusters/${name}`, adminToken, { spec: {}, metadata: { labels: {} } })).status).toBe(201);
  const jt = await call('POST', `/v1/tenants/${tenant}/clusters/${name}/join-tokens`, adminToken, {});
  const reg = await call('POST', '/v1/connector/register', undefined, { joinToken: jt.json.token, cluster: { kubernetesVersion: 'v1.31.0', nodeCount: 1, connectorVersion: '0.1.0' } });
  expect(reg.status, reg.text).toBe(200);
  return reg.json.credential as string;
}

/** The connector's end of the watch socket, answering each request with what it saw (and the body it was sent). */
async function connect(credential: string) {
  const res = await exports.default.fetch(`${origin}/v1/connector/watch?revision=0`, { headers: { authorization: `Bearer ${credential}`, upgrade: 'websocket' } });
  const ws = (res as Response & { webSocket: WorkerSocket | null }).webSocket!;
  expect(ws).toBeTruthy();
  ws.binaryType = 'arraybuffer';
  ws.accept();
  const tunnel = new Tunnel({
    opener: false, maxStreams: 8, send: (frame) => ws.send(frame),
    onOpen: async (stream, head) => {
      let body = '';
      for await (const chunk of stream.readable as unknown as AsyncIterable<Uint8Array>) body += decoder.decode(chunk, { stream: true });
      stream.respond({ status: head.path.startsWith('/api/v1/missing') ? 404 : 200, headers: [['content-type', 'application/json'], ['set-cookie', 'x=1']] });
      await stream.write(encoder.encode(JSON.stringify({ method: head.method, path: head.path, as: head.as, body, headers: head.headers })));
      stream.end();
    },
  });
  ws.addEventListener('message', (e: MessageEvent) => {
    if (typeof e.data !== 'string') tunnel.receive(new Uint8Array(e.data as ArrayBuffer));
  });
  return { ws, tunnel };
}

describe('the cluster gateway in workerd, relayed by the tenant’s Durable Object', () => {
  let viewer = '';
  beforeAll(async () => {
    expect((await call('PUT', `/v1/tenants/${tenant}`, adminToken, { spec: { displayName: 'x' } })).status).toBe(201);
    const t = await call('POST', `/v1/tenants/${tenant}/tokens`, adminToken, { spec: { role: 'viewer', description: 'gw' } });
    viewer = t.json.token;
    await connect(await join('edge-1'));
    await join('edge-2'); // registered, never connected
  });

  it('carries a request and its body to the connector as the caller, and its answer back', async () => {
    const got = await call('GET', `/v1/tenants/${tenant}/clusters/edge-1/proxy/api/v1/namespaces?limit=5`, viewer);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toMatchObject({ method: 'GET', path: '/api/v1/namespaces?limit=5', as: { groups: ['fleetplane:viewers'] }, body: '' });
    expect(got.json.as.user).toMatch(new RegExp(`^fleetplane:${tenant}:token:`));
    expect(got.json.headers.map(([k]: [string, string]) => k)).not.toContain('authorization');
    expect(got.headers.get('set-cookie')).toBeNull();

    const res = await exports.default.fetch(`${origin}/v1/tenants/${tenant}/clusters/edge-1/proxy/api/v1/namespaces/shop/configmaps/x`, {
      method: 'PUT', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'impersonate-user': 'system:admin' }, body: '{"data":{"a":"b"}}',
    });
    const put = (await res.json()) as { body: string; as: { groups: string[] }; headers: [string, string][] };
    expect(res.status).toBe(200);
    expect(put.body).toBe('{"data":{"a":"b"}}');
    expect(put.as.groups).toEqual(['fleetplane:admins']);
    expect(put.headers.map(([k]) => k)).not.toContain('impersonate-user');
    expect((await call('GET', `/v1/tenants/${tenant}/clusters/edge-1/proxy/api/v1/missing`, viewer)).status).toBe(404);
  });

  it('a cluster whose connector is not connected is a 503 with Retry-After; a path outside the API server a 400', async () => {
    const dark = await call('GET', `/v1/tenants/${tenant}/clusters/edge-2/proxy/api/v1/pods`, viewer);
    expect(dark.status, dark.text).toBe(503);
    expect(dark.headers.get('retry-after')).toBe('5');
    expect(dark.json.detail).toContain('no connector connected');
    expect((await call('GET', `/v1/tenants/${tenant}/clusters/edge-1/proxy/metrics`, viewer)).status).toBe(400);
  });
});
