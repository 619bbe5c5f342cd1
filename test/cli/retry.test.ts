import { describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs, retryingFetch } from '../../client/index.js';
import { problem, scripted, standInEnv as env, type Seen } from './stand-in.js';
import { fleetplane } from './support.js';

const cluster = {
  metadata: { name: 'edge-1', labels: { env: 'prod' }, uid: 'u', createdAt: 't', updatedAt: 't', generation: 1, resourceVersion: '7' },
  spec: {}, status: { phase: 'Ready', conditions: [], lastHeartbeatAt: null, kubernetesVersion: 'v1.31.2', nodeCount: 3, connectorVersion: null, desiredRevision: 1, appliedRevision: 1 },
};

describe('429 and 503 are retried, honouring Retry-After', () => {
  it('fleetplane get: a 429 with Retry-After: 1 is retried after a second, then succeeds', async () => {
    const s = await scripted([{ status: 429, headers: { 'retry-after': '1' }, body: problem(429) }, { status: 200, body: { items: [cluster], nextCursor: null } }]);
    const r = await fleetplane(['get', 'clusters'], env(s.url));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^edge-1\s+Ready\s+v1\.31\.2\s+3\s+env=prod$/m);
    expect(r.stderr).toContain('server answered 429; retrying in 1.0 s');
    expect(s.seen.map((x) => x.url)).toEqual(['/v1/tenants/acme/clusters', '/v1/tenants/acme/clusters']);
    expect(s.seen[1]!.at - s.seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('fleetplane apply: a PUT answered 503 is sent again with the same body', async () => {
    const s = await scripted([
      { status: 200, body: { metadata: { name: 'acme' }, spec: {}, status: {} } }, // tenant check
      { status: 404, body: { ...problem(404), code: 'not_found', detail: 'cluster "edge-1" not found' } },
      { status: 503, headers: { 'retry-after': '0' }, body: problem(503) },
      { status: 201, body: cluster },
    ]);
    const r = await fleetplane(['apply', '-f', 'test/cli/fixtures/edge-1.yaml'], env(s.url));
    expect(r.stderr).toContain('server answered 503');
    expect(r.stdout.trim()).toBe('cluster/edge-1 created');
    expect(r.code).toBe(0);
    const puts = s.seen.filter((x) => x.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts[1]!.body).toBe(puts[0]!.body);
    expect(JSON.parse(puts[0]!.body)).toEqual({ metadata: { name: 'edge-1', labels: { env: 'prod' } }, spec: {} });
  });

  it('fleetplane rollback: a POST answered 503 is sent again with the same Idempotency-Key and body', async () => {
    const s = await scripted([
      { status: 503, headers: { 'retry-after': '0' }, body: problem(503) },
      { status: 200, body: { metadata: { name: 'web', generation: 4 }, spec: {}, status: {} } },
    ]);
    const r = await fleetplane(['rollback', 'app', 'web', '--revision', '2'], env(s.url));
    expect(r.stdout).toBe('app/web rolled back to revision 2 (generation 4)\n');
    expect(s.seen.map((x) => `${x.method} ${x.url}`)).toEqual(Array(2).fill('POST /v1/tenants/acme/apps/web/rollback'));
    const [first, second] = s.seen as [Seen, Seen];
    expect(first.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    expect(JSON.parse(second.body)).toEqual({ revision: 2 });
  });

  it('gives up after the retries and reports the last problem', async () => {
    const s = await scripted([{ status: 429, headers: { 'retry-after': '0' }, body: problem(429) }]);
    const r = await fleetplane(['get', 'clusters'], env(s.url));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('slow down');
    expect(s.seen).toHaveLength(6); // the first attempt and 5 retries
  });
});

describe('the client’s backoff', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it('without Retry-After waits a jittered, doubling, capped time', async () => {
    expect(backoffMs(0, { random: () => 1 })).toBe(250);
    expect(backoffMs(3, { random: () => 1 })).toBe(2000);
    expect(backoffMs(20, { random: () => 1, maxDelayMs: 5000 })).toBe(5000);
    expect(backoffMs(3, { random: () => 0.5 })).toBe(1000);
    const waits: number[] = [];
    let calls = 0;
    const base = (async () => new Response(null, { status: ++calls < 4 ? 503 : 200 })) as unknown as typeof fetch;
    const f = retryingFetch({ sleep: async (ms) => void waits.push(ms), random: () => 1, maxDelayMs: 600 }, base);
    expect((await f(new Request('http://x/'))).status).toBe(200);
    expect(waits).toEqual([250, 500, 600]);
  });
});
