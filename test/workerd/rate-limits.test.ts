import { env } from 'cloudflare:workers';
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../worker/context.js';
import { localBuckets, type BucketStore } from '../../worker/lib/buckets.js';
import { durableBuckets } from '../../worker/limits/durable-buckets.js';
import type { RateLimiterAnswer } from '../../worker/limits/rate-limiter-do.js';
import type { DurableObjectNamespace, DurableObjectState } from '../../worker/push/workers-types.js';
import { buildWorkerApp } from '../../worker/worker-app.js';
import { call, callApp } from './call.js';

/**
 * Rate limits on Workers: buckets in RateLimiter Durable Objects, shared by
 * every isolate. Two apps built here stand for two isolates: each has its
 * own memory, both the env's RATE_LIMITER namespace.
 */

const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);
const limiters = env.RATE_LIMITER as DurableObjectNamespace;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An isolate's worth of app; `get` sends one GET as `token` and waits for what it left running. */
async function isolate(vars: Record<string, string>, overrides: Partial<AppDeps> = {}) {
  const app = await buildWorkerApp({ ...env, ...vars }, overrides);
  return (path: string, token: string) => callApp(app, 'GET', path, token);
}
type Get = Awaited<ReturnType<typeof isolate>>;

/** Requests alternately through each isolate until one is refused: how many got through, and the refusal. */
async function untilRefused(isolates: Get[], path: string, token: string, max = 20) {
  for (let k = 0; k < max; k++) {
    const r = await isolates[k % isolates.length]!(path, token);
    if (r.status === 429) return { accepted: k, refusal: r };
    expect(r.status, r.text).toBe(200);
  }
  return { accepted: max, refusal: undefined };
}

const tenant = `rl-${Date.now().toString(36)}`;
async function mint() {
  const r = await call('POST', `/v1/tenants/${tenant}/tokens`, adminToken, { spec: { role: 'viewer', description: 'rate limits' } });
  expect(r.status, r.text).toBe(201);
  return String(r.json.token);
}

beforeAll(async () => {
  expect((await call('PUT', `/v1/tenants/${tenant}`, adminToken, { spec: { displayName: 'Rate limits' } })).status).toBe(201);
});

describe('rate limits across isolates', () => {
  // 2 requests a second per caller: a burst of 4 (10 a second, a burst of 20, for the tenant)
  const low = { FLEETPLANE_RATE_LIMIT: '2' };

  it('two isolates share one caller budget: about one burst gets through, not two', async () => {
    const token = await mint();
    const both = [await isolate(low), await isolate(low)];
    const { accepted, refusal } = await untilRefused(both, `/v1/tenants/${tenant}`, token);
    console.log(`shared buckets: ${accepted} requests through two isolates before a 429`);
    expect(accepted).toBeGreaterThanOrEqual(4);
    expect(accepted).toBeLessThanOrEqual(5); // a token may refill meanwhile
    expect(refusal!.headers.get('content-type')).toMatch(/problem\+json/);
    expect(JSON.parse(refusal!.text)).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(JSON.parse(refusal!.text).detail).toMatch(/2 requests per second from this caller/);
    expect(refusal!.headers.get('retry-after')).toBe('1');
  });

  it('with buckets in each isolate alone (the control) two isolates let two bursts through', async () => {
    const token = await mint();
    const both = [await isolate(low, { buckets: localBuckets }), await isolate(low, { buckets: localBuckets })];
    const { accepted } = await untilRefused(both, `/v1/tenants/${tenant}`, token);
    console.log(`buckets per isolate: ${accepted} requests through two isolates before a 429`);
    expect(accepted).toBeGreaterThanOrEqual(8);
  });

  it('the extra latency of the Durable Object, measured', async () => {
    const token = await mint();
    const high = { FLEETPLANE_RATE_LIMIT: '100000' };
    const runs = { durable: await isolate(high), local: await isolate(high, { buckets: localBuckets }) };
    const path = `/v1/tenants/${tenant}`;
    const timeRequests = async (get: Get, n: number) => {
      const started = performance.now();
      for (let k = 0; k < n; k++) expect((await get(path, token)).status).toBe(200);
      return (performance.now() - started) / n;
    };
    const stores = { durable: durableBuckets(limiters)({ name: 'bench', perSecond: 100_000, what: 'x' }), local: localBuckets({ name: 'bench', perSecond: 100_000, what: 'x' }) };
    const timeTakes = async (store: BucketStore, n: number) => {
      const started = performance.now();
      for (let k = 0; k < n; k++) await store.take(token);
      return (performance.now() - started) / n;
    };
    for (const get of Object.values(runs)) await timeRequests(get, 5); // warm up
    // interleaved in rounds, so a machine busy with something else weighs on both alike; kept
    // short, as the other workerd files run beside this one (the render budget there is timed)
    const perRequest = { local: 0, durable: 0 };
    const perTake = { local: 0, durable: 0 };
    for (let round = 0; round < 4; round++) {
      perRequest.local += (await timeRequests(runs.local, 15)) / 4;
      perRequest.durable += (await timeRequests(runs.durable, 15)) / 4;
      perTake.local += (await timeTakes(stores.local, 50)) / 4;
      perTake.durable += (await timeTakes(stores.durable, 50)) / 4;
    }
    console.log(
      `60 GETs of a tenant each way (in the guard the caller's take beside the source's check, then the tenant's take): ` +
        `${perRequest.local.toFixed(2)} ms each with buckets in the isolate, ${perRequest.durable.toFixed(2)} ms with the Durable Object ` +
        `(+${(perRequest.durable - perRequest.local).toFixed(2)} ms); ` +
        `200 takes alone each way: ${perTake.local.toFixed(3)} ms vs ${perTake.durable.toFixed(3)} ms`,
    );
  });
});

describe('the RateLimiter Durable Object', () => {
  const stub = (name: string) => limiters.get(limiters.idFromName(name));
  const ask = async (s: ReturnType<typeof stub>, op: string, perSecond: number, burst: number) => {
    const res = await s.fetch(`https://rate-limiter/${op}?perSecond=${perSecond}&burst=${burst}`, { method: 'POST' });
    expect(res.status).toBe(200);
    return (await res.json()) as RateLimiterAnswer;
  };

  it('takes, checks without taking, charges, and refuses with the seconds until a token is back', async () => {
    const s = stub(`test:basic-${Date.now()}`);
    expect(await ask(s, 'take', 1, 2)).toEqual({ ok: true });
    expect(await ask(s, 'check', 1, 2)).toEqual({ ok: true });
    expect(await ask(s, 'take', 1, 2)).toEqual({ ok: true });
    expect(await ask(s, 'take', 1, 2)).toEqual({ ok: false, retryAfter: 1 });
    expect(await ask(s, 'check', 1, 2)).toEqual({ ok: false, retryAfter: 1 });
    expect(await ask(s, 'charge', 1, 2)).toEqual({ ok: true }); // a cost counted after the fact is never refused
    // at 1 a minute an empty bucket has its next token in a minute
    const slow = stub(`test:slow-${Date.now()}`);
    expect(await ask(slow, 'take', 1 / 60, 1)).toEqual({ ok: true });
    expect(await ask(slow, 'take', 1 / 60, 1)).toEqual({ ok: false, retryAfter: 60 });
  });

  it('refills as time passes', async () => {
    const s = stub(`test:refill-${Date.now()}`);
    expect(await ask(s, 'take', 20, 1)).toEqual({ ok: true });
    expect((await ask(s, 'take', 20, 1)).ok).toBe(false);
    await sleep(120); // a token every 50 ms
    expect(await ask(s, 'take', 20, 1)).toEqual({ ok: true });
  });

  it('answers 400 to a rate it cannot use and 404 to anything else (the worker then uses its own buckets)', async () => {
    const s = stub('test:bad');
    expect((await s.fetch('https://rate-limiter/take?perSecond=0&burst=1', { method: 'POST' })).status).toBe(400);
    expect((await s.fetch('https://rate-limiter/take?perSecond=1', { method: 'POST' })).status).toBe(400);
    expect((await s.fetch('https://rate-limiter/take?perSecond=1&burst=1')).status).toBe(404);
  });

  it('a bucket refilled within 10 s lives in memory only; a slower one (failed authentications) outlives eviction until it is full again', async () => {
    const fast = stub(`test:fast-${Date.now()}`);
    await ask(fast, 'take', 1, 2);
    await ask(fast, 'take', 1, 2);
    expect((await ask(fast, 'take', 1, 2)).ok).toBe(false);
    await evictDurableObject(fast);
    // forgotten: an idle object is evicted only after longer than such a bucket takes to fill
    expect(await ask(fast, 'take', 1, 2)).toEqual({ ok: true });

    // 10 failures a minute, a burst of 20: two minutes to fill
    const [perSecond, burst] = [10 / 60, 20];
    const slow = stub(`test:failures-${Date.now()}`);
    for (let k = 0; k < burst; k++) expect(await ask(slow, 'charge', perSecond, burst)).toEqual({ ok: true });
    expect(await ask(slow, 'check', perSecond, burst)).toEqual({ ok: false, retryAfter: 6 });
    await evictDurableObject(slow);
    expect(await ask(slow, 'check', perSecond, burst)).toEqual({ ok: false, retryAfter: 6 });
    // an alarm that comes early keeps the bucket
    expect(await runDurableObjectAlarm(slow)).toBe(true);
    expect(await ask(slow, 'check', perSecond, burst)).toEqual({ ok: false, retryAfter: 6 });

    // once it would be full, the alarm empties storage: idle keys cost nothing
    await runInDurableObject(slow, async (_: unknown, state: unknown) => {
      const storage = (state as DurableObjectState).storage;
      const saved = await storage.get<{ at: number }>('bucket');
      await storage.put('bucket', { ...saved, at: saved!.at - 121_000 });
    });
    expect(await runDurableObjectAlarm(slow)).toBe(true);
    const left = await runInDurableObject(slow, (_: unknown, state: unknown) => (state as DurableObjectState).storage.get('bucket'));
    expect(left).toBeUndefined();
    expect(await ask(slow, 'check', perSecond, burst)).toEqual({ ok: true });
  });
});
