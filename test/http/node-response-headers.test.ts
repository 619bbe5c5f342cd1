import { describe, expect, it } from 'vitest';
import { nodeServerForFile } from '../support/node-server.js';

// On Node, X-Request-Id and ETag go straight onto the HTTP response (worker/lib/response-header.ts), not through
// Hono: these are the answers as a client on the wire gets them.
const ADMIN = `fp_${'h'.repeat(43)}`;
const server = nodeServerForFile(ADMIN);

const send = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('response headers on the Node server', () => {
  it('a resource answer carries its ETag and a request id once each; If-None-Match of that ETag is 304 with both', async () => {
    const put = await send('PUT', '/v1/tenants/hdr', {}, { spec: { displayName: 'H' } });
    expect(put.status).toBe(201);
    const etag = put.headers.get('etag');
    expect(etag).toMatch(/^"\d+"$/);
    expect(put.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const got = await send('GET', '/v1/tenants/hdr');
    expect(got.headers.get('etag')).toBe(etag);
    expect(got.headers.get('content-type')).toBe('application/json');
    expect((await got.json()).spec).toEqual({ displayName: 'H' });
    const again = await send('GET', '/v1/tenants/hdr', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.headers.get('x-request-id')).not.toBe(got.headers.get('x-request-id'));
  });

  it('a plain X-Request-Id from the caller is answered back and quoted by the problem; any other is replaced', async () => {
    const mine = await send('GET', '/v1/tenants/nope', { 'x-request-id': 'trace-42=a' });
    expect(mine.status).toBe(404);
    expect(mine.headers.get('x-request-id')).toBe('trace-42=a');
    expect((await mine.json()).requestId).toBe('trace-42=a');
    const odd = await send('GET', '/v1/tenants/nope', { 'x-request-id': 'no spaces allowed' });
    const id = odd.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await odd.json()).requestId).toBe(id);
  });

});
