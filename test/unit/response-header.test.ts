import { serve, type ServerType } from '@hono/node-server';
import type { ServerResponse } from 'node:http';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredOn, setResponseHeader } from '../../worker/lib/response-header.js';

// As the Node server and the console use it: the console calls the API in-process with the page's env, whose
// `outgoing` is the page's HTTP response. The API answer's headers must stay on the API answer.
const app = new Hono();
app.get('/api', (c) => {
  setResponseHeader(c, 'ETag', '"7"');
  return c.json({ ok: true });
});
app.get('/page', async (c) => {
  setResponseHeader(c, 'X-Page', 'yes');
  const inner = await app.fetch(new Request(new URL('/api', c.req.url)), c.env);
  return c.json({ innerEtag: inner.headers.get('etag') });
});

let server: ServerType;
let url: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({
      port: 0, hostname: '127.0.0.1',
      fetch: (req, env) => {
        answeredOn(req, (env as { outgoing: ServerResponse }).outgoing);
        return app.fetch(req, env);
      },
    }, (info) => {
      url = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('setResponseHeader', () => {
  it('on the socket\'s own request, the header reaches the client', async () => {
    const r = await fetch(`${url}/api`);
    expect(r.headers.get('etag')).toBe('"7"');
    expect(r.headers.get('content-type')).toBe('application/json');
  });

  it('an in-process request given the outer env keeps its headers on its own answer, not the outer one', async () => {
    const r = await fetch(`${url}/page`);
    expect(await r.json()).toEqual({ innerEtag: '"7"' });
    expect(r.headers.get('x-page')).toBe('yes');
    expect(r.headers.get('etag')).toBeNull();
  });
});
