/** Rate limits per caller, per tenant, per connector, and failed authentications per source address (429 + Retry-After). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimiter } from '../../worker/lib/rate-limit.js';
import { startHarness, type Harness } from '../support/harness.js';
import { heartbeat, joinCluster } from '../support/fleet.js';

let h: Harness;
const tokens: Record<string, string> = {};
const from = (source: string) => ({ 'x-test-source': source });

async function mint(tenant: string, role = 'viewer') {
  const r = await h.call('POST', `/v1/tenants/${tenant}/tokens`, { token: h.adminToken, body: { spec: { role, description: 't' } } });
  return r.body.token as string;
}

beforeAll(async () => {
  // per caller 20/s (burst 40), per tenant 30/s (burst 60), per connector 5/s (burst 10), 5 failed authentications a minute (burst 10)
  h = await startHarness({ limits: { caller: 20, tenant: 30, connector: 5, authFailuresPerMinute: 5 } });
  for (const t of ['a', 'b']) await h.call('PUT', `/v1/tenants/${t}`, { token: h.adminToken, body: { spec: { displayName: t } } });
  tokens.a1 = await mint('a');
  tokens.a2 = await mint('a');
  tokens.b = await mint('b');
});
afterAll(() => h.close());

/** Sends n GETs at once as one token; the statuses, counted. */
async function burst(n: number, token: string, path: string) {
  const rs = await Promise.all(Array.from({ length: n }, () => h.call('GET', path, { token })));
  const count = (s: number) => rs.filter((r) => r.status === s).length;
  return { ok: count(200), limited: rs.filter((r) => r.status === 429), all: rs };
}

describe('rate limits', () => {
  it('two tokens of one tenant share its budget; the other tenant is untouched; every 429 says which limit and when to retry', async () => {
    // the setup's three requests on tenant a (as the admin) took from its bucket: refilled in 100 ms at 30 a second
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    const [one, two] = await Promise.all([burst(40, tokens.a1!, '/v1/tenants/a/clusters'), burst(40, tokens.a2!, '/v1/tenants/a/clusters')]);
    const refilled = Math.ceil((30 * (performance.now() - started)) / 1000);
    // each token alone is within its 40-request burst; the tenant's 60 (and what refilled meanwhile) are shared
    expect(one.ok + two.ok).toBeGreaterThanOrEqual(59);
    expect(one.ok + two.ok).toBeLessThanOrEqual(60 + refilled);
    expect(one.limited.length + two.limited.length).toBeGreaterThan(0);
    const limited = [...one.limited, ...two.limited][0]!;
    expect(limited.headers.get('content-type')).toMatch(/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(limited.body.detail).toMatch(/30 requests per second for this tenant/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const other = await burst(20, tokens.b!, '/v1/tenants/b/clusters');
    expect(other.ok).toBe(20);
  });

  it('a request costs one token whatever its path: listing /v1/tenants takes one too, not one per matching route prefix', async () => {
    // the setup's five requests as the admin are refilled first (20 a second): its full burst of 40 is there
    await new Promise((r) => setTimeout(r, 500));
    const admin = await burst(45, h.adminToken, '/v1/tenants');
    expect(admin.ok).toBeGreaterThanOrEqual(40);
    expect(admin.limited[0]?.body.detail).toMatch(/20 requests per second from this caller/);
  });

  it('a connector has a budget of its own', async () => {
    const { credential } = await joinCluster(h, 'b', 'edge');
    const rs = await Promise.all(Array.from({ length: 15 }, () => heartbeat(h, credential)));
    expect(rs.filter((r) => r.status === 200).length).toBe(10);
    const refused = rs.find((r) => r.status === 429)!;
    expect(refused.body.detail).toMatch(/5 requests per second from this connector/);
    expect(refused.headers.get('retry-after')).toBe('1');
  });

  it('failed authentications throttle their source before any token is checked; other sources are untouched', async () => {
    const guesses = [];
    for (let k = 0; k < 12; k++) guesses.push((await h.call('GET', '/v1/tenants/a', { token: `fp_guess${k}`, headers: from('203.0.113.7') })).status);
    expect(guesses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(guesses.slice(10)).toEqual([429, 429]);
    // from that source even a valid token waits: the check comes before the token is looked at
    const valid = await h.call('GET', '/v1/tenants/a', { token: tokens.a1, headers: from('203.0.113.7') });
    expect(valid.status).toBe(429);
    expect(valid.body.detail).toMatch(/5 failed authentications a minute from this address/);
    expect(Number(valid.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await h.call('GET', '/v1/tenants/a', { token: tokens.a1, headers: from('198.51.100.1') })).status).toBe(200);
  });

  it('guessed join links and join tokens count as failed authentications; a request without credentials does not', async () => {
    for (let k = 0; k < 10; k++) await h.call('GET', '/v1/tenants/a', { headers: from('192.0.2.9') });
    const statuses = [];
    for (let k = 0; k < 6; k++) statuses.push((await h.call('GET', `/v1/join/fpj_guess${k}/install.yaml`, { headers: from('192.0.2.9') })).status);
    for (let k = 0; k < 5; k++) {
      statuses.push((await h.call('POST', '/v1/connector/register', {
        headers: from('192.0.2.9'), body: { joinToken: `fpj_guess${k}`, cluster: { kubernetesVersion: 'v1', nodeCount: 1, connectorVersion: '0' } },
      })).status);
    }
    expect(statuses.slice(0, 6)).toEqual(Array(6).fill(404));
    expect(statuses.slice(6, 10)).toEqual(Array(4).fill(401));
    expect(statuses[10]).toBe(429);
  });
});

describe('the buckets', () => {
  it('keep memory bounded by forgetting the least recently used, not by resetting everyone', () => {
    const t = 0;
    const l = rateLimiter(1, '1/s', { burst: 2, maxKeys: 100, now: () => t });
    l.take('busy');
    l.take('busy');
    for (let k = 0; k < 1_000; k++) {
      l.take(`cycled-${k}`); // an attacker cycling keys
      if (k % 50 === 0) expect(() => l.take('busy')).toThrow(/1\/s/); // a caller still active stays throttled
    }
    expect(l.size).toBe(100);
    expect(() => l.take('cycled-0')).not.toThrow(); // long unused: forgotten, a full bucket again
  });
});
