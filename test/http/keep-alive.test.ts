import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { nodeServerForFile } from '../support/node-server.js';

const ADMIN = `fp_${'k'.repeat(43)}`;
const MiB = 1024 * 1024;
const server = nodeServerForFile(ADMIN);

interface Answer { status: number; connection: string | undefined; body: string; port: number | undefined }

/** One request through `agent`; `port` is the client-side port, telling which connection carried it. */
/** `chunked`: the body goes in 64 KiB chunks with no Content-Length, so only its count can tell its size. */
function send(agent: http.Agent, method: string, path: string, o: { body?: Buffer; token?: string; chunked?: boolean } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.body && !o.chunked) headers['content-length'] = o.body.length;
    const req = http.request(`${server.url}${path}`, { method, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body, port: req.socket?.localPort }));
    });
    req.on('error', reject);
    if (!o.chunked || !o.body) return req.end(o.body);
    // the server may answer 413 and close before every chunk is out
    req.on('error', () => undefined);
    for (let at = 0; at < o.body.length; at += 64 * 1024) req.write(o.body.subarray(at, at + 64 * 1024));
    req.end();
  });
}

const oneConnection = () => new http.Agent({ keepAlive: true, maxSockets: 1 });
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
/** A syntactically fine JSON body of about `bytes` bytes. */
const upload = (bytes: number) => json({ spec: { displayName: 'x' }, pad: 'p'.repeat(bytes) });

describe('keep-alive connections on the Node server', () => {
  it('an ordinary answer keeps the connection: the next request rides the same one', async () => {
    const agent = oneConnection();
    const a = await send(agent, 'PUT', '/v1/tenants/ka', { token: ADMIN, body: json({ spec: { displayName: 'KA' } }) });
    const b = await send(agent, 'GET', '/v1/tenants/ka', { token: ADMIN });
    expect(a.status).toBe(201);
    expect(a.connection).toBe('keep-alive');
    expect(b.status).toBe(200);
    expect(b.port).toBe(a.port);
    agent.destroy();
  });

  it('an idle connection outlives a connector\'s heartbeat interval (Node\'s own default closes it after 5 s)', async () => {
    const agent = oneConnection();
    const a = await send(agent, 'GET', '/healthz');
    await new Promise((r) => setTimeout(r, 6_000));
    const b = await send(agent, 'GET', '/healthz');
    expect(b.status).toBe(200);
    expect(b.port).toBe(a.port);
    agent.destroy();
  }, 15_000);

  it('a 2 MiB body gets 413 with Connection: close; the next request on that agent gets its answer', async () => {
    const agent = oneConnection();
    const big = await send(agent, 'PUT', '/v1/tenants/ka', { token: ADMIN, body: upload(2 * MiB) });
    expect(big.status).toBe(413);
    expect(big.connection).toBe('close');
    expect(JSON.parse(big.body)).toMatchObject({ status: 413, code: 'body_too_large' });
    const next = await send(agent, 'GET', '/v1/tenants/ka', { token: ADMIN });
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body).spec).toEqual({ displayName: 'KA' });
    expect(next.port).not.toBe(big.port); // the closed connection was not reused
    const again = await send(agent, 'GET', '/healthz');
    expect(again.status).toBe(200);
    expect(again.port).toBe(next.port); // and the new one stays open
    agent.destroy();
  });

  it('a chunked body is counted as it comes: over 1 MiB it is 413 and nothing is written, under it is read whole (a body of many chunks)', async () => {
    const agent = oneConnection();
    const big = await send(agent, 'PUT', '/v1/tenants/chunked-big', { token: ADMIN, body: upload(2 * MiB), chunked: true });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ status: 413, code: 'body_too_large' });
    expect((await send(agent, 'GET', '/v1/tenants/chunked-big', { token: ADMIN })).status).toBe(404);
    // JSON may carry whitespace: 300 KiB of it make five chunks of a body the strict schema takes
    const spec = { displayName: 'Chunked' };
    const padded = Buffer.from(`{"spec":${JSON.stringify(spec)}${' '.repeat(300 * 1024)}}`);
    const fits = await send(agent, 'PUT', '/v1/tenants/chunked', { token: ADMIN, body: padded, chunked: true });
    expect(fits.status).toBe(201);
    const read = await send(agent, 'GET', '/v1/tenants/chunked', { token: ADMIN });
    expect(JSON.parse(read.body).spec).toEqual(spec);
    agent.destroy();
  });

  it('an early 401 on an upload says Connection: close; the next request gets its answer', async () => {
    const agent = oneConnection();
    const denied = await send(agent, 'PUT', '/v1/tenants/ka', { body: upload(900 * 1024) });
    expect(denied.status).toBe(401);
    expect(denied.connection).toBe('close');
    const next = await send(agent, 'GET', '/v1/tenants/ka', { token: ADMIN });
    expect(next.status).toBe(200);
    agent.destroy();
  });

  it('a body the handler read in full keeps the connection, even when the answer is an error', async () => {
    const agent = oneConnection();
    const bad = await send(agent, 'PUT', '/v1/tenants/ka', { token: ADMIN, body: json({ spec: { displayName: 7 } }) });
    expect(bad.status).toBe(400);
    expect(bad.connection).toBe('keep-alive');
    const next = await send(agent, 'GET', '/healthz');
    expect(next.status).toBe(200);
    expect(next.port).toBe(bad.port);
    agent.destroy();
  });

  it('fetch (undici) after a 2 MiB upload: every following request succeeds', async () => {
    const first = await fetch(`${server.url}/v1/tenants/ka`, {
      method: 'PUT', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: upload(2 * MiB),
    });
    expect(first.status).toBe(413);
    expect(first.headers.get('connection')).toBe('close');
    await first.text();
    for (let i = 0; i < 4; i++) {
      const r = await fetch(`${server.url}/v1/tenants/ka`, { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(r.status).toBe(200);
      await r.text();
    }
  });
});
