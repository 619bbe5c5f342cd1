/** Cases the fuzzer found, kept as plain tests. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(() => h.close());

it('GET /v1/tenants/ (a trailing slash no route takes) is a 404, not a 405 saying GET is not supported while Allow lists it', async () => {
  const r = await h.call('GET', '/v1/tenants/', { token: h.adminToken });
  expect(r.status).toBe(404);
  expect(r.body.code).toBe('not_found');
  // a method the collection does not take is still a 405 with Allow
  const put = await h.call('PUT', '/v1/tenants', { token: h.adminToken, body: {} });
  expect(put.status).toBe(405);
  expect(put.headers.get('allow')).toBe('GET, HEAD');
});
