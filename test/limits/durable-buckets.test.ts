/** The Workers bucket store, against RateLimiter objects held in memory (workerd runs the real thing: test/workerd/rate-limits.test.ts). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BucketSpec } from '../../worker/lib/buckets.js';
import { ApiError } from '../../worker/lib/problem.js';
import { durableBuckets } from '../../worker/limits/durable-buckets.js';
import { RateLimiter } from '../../worker/limits/rate-limiter-do.js';
import type { DurableObjectNamespace, DurableObjectState } from '../../worker/push/workers-types.js';

function memoryStorage(): DurableObjectState['storage'] {
  const m = new Map<string, unknown>();
  return {
    get: async <T>(k: string) => structuredClone(m.get(k)) as T | undefined,
    put: async (k, v) => void m.set(k, structuredClone(v)),
    deleteAll: async () => m.clear(),
    setAlarm: async () => {},
  };
}

/** A namespace of RateLimiters; `fail` stands in for a limiter that is down. */
function limiters(fail?: () => Promise<Response>) {
  const objects = new Map<string, RateLimiter>();
  const seen = { names: [] as string[], calls: 0 };
  const ns: DurableObjectNamespace = {
    idFromName: (name) => (seen.names.push(name), name),
    get: (id) => ({
      fetch: async (input, init) => {
        seen.calls++;
        if (fail) return fail();
        let o = objects.get(id as string);
        if (!o) objects.set(id as string, (o = new RateLimiter({ storage: memoryStorage() } as DurableObjectState)));
        return o.fetch(new Request(input, init));
      },
    }),
  };
  return { ns, seen };
}

const spec: BucketSpec = { name: 'caller', perSecond: 2, what: '2 requests per second from this caller' };

/** How many takes pass before the first refusal, and that refusal. */
async function takeUntilRefused(takes: ((key: string) => void | Promise<void>)[], key: string, max = 20) {
  for (let k = 0; k < max; k++) {
    try {
      await takes[k % takes.length]!(key);
    } catch (err) {
      return { passed: k, err: err as ApiError };
    }
  }
  return { passed: max, err: undefined };
}

afterEach(() => vi.restoreAllMocks());

describe('durable buckets', () => {
  it('isolates share a budget; the refusal is the same 429 as in one process', async () => {
    const { ns } = limiters();
    const [a, b] = [durableBuckets(ns)(spec), durableBuckets(ns)(spec)];
    const { passed, err } = await takeUntilRefused([a!.take, b!.take], 'Bearer fp_secret');
    expect(passed).toBe(4);
    expect(err).toBeInstanceOf(ApiError);
    expect(err!.status).toBe(429);
    expect(err!.message).toBe('too many requests: more than 2 requests per second from this caller; retry in 1 s');
    expect(err!.headers).toEqual({ 'Retry-After': '1' });
  });

  it('names objects by bucket and the key hashed, never the credential itself', async () => {
    const { ns, seen } = limiters();
    await durableBuckets(ns)(spec).take('Bearer fp_secret');
    expect(seen.names).toHaveLength(1);
    expect(seen.names[0]).toMatch(/^caller:[0-9a-f]{64}$/);
    expect(seen.names[0]).not.toContain('fp_secret');
  });

  it('a caller this isolate alone has seen past the rate is refused without a round trip', async () => {
    const { ns, seen } = limiters();
    const store = durableBuckets(ns)(spec);
    const { passed } = await takeUntilRefused([store.take, store.take, store.take], 'k');
    expect(passed).toBe(4);
    expect(seen.calls).toBe(4);
    await expect(store.take('k')).rejects.toThrow(/retry in 1 s/);
    expect(seen.calls).toBe(4);
  });

  it('check refuses without taking; charge takes even what take would be refused', async () => {
    const { ns } = limiters();
    const failures = durableBuckets(ns)({ name: 'auth-failures', perSecond: 1 / 60, burst: 2, what: '1 failed authentications a minute from this address' });
    await failures.check('203.0.113.7');
    await failures.charge('203.0.113.7');
    await failures.check('203.0.113.7');
    await failures.charge('203.0.113.7');
    await expect(failures.check('203.0.113.7')).rejects.toMatchObject({ status: 429, headers: { 'Retry-After': '60' } });
    // another isolate, which has seen none of them, is refused too; another bucket with the same key is not
    await expect(durableBuckets(ns)({ name: 'auth-failures', perSecond: 1 / 60, burst: 2, what: 'x' }).check('203.0.113.7')).rejects.toMatchObject({ status: 429 });
    await expect(durableBuckets(ns)(spec).check('203.0.113.7')).resolves.toBeUndefined();
  });

  it.each([
    ['throws', () => Promise.reject(new Error('limiter unreachable'))],
    ['answers 500', async () => new Response('overloaded', { status: 500 })],
  ])('a limiter that %s fails open to the isolate\'s own bucket, logged once', async (_, fail) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { ns } = limiters(fail);
    const store = durableBuckets(ns)(spec);
    const { passed, err } = await takeUntilRefused([store.take], 'k');
    expect(passed).toBe(4); // still limited, by this isolate alone
    expect(err!.message).toMatch(/2 requests per second from this caller/);
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('after a failure the limiter is left alone for 5 s, then asked again; the next outage is logged again', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    let failing = true;
    let t = 0;
    const { ns: working } = limiters();
    const seen = { calls: 0 };
    const ns: DurableObjectNamespace = {
      idFromName: working.idFromName,
      get: (id) => ({
        fetch: (input, init) => (seen.calls++, failing ? Promise.reject(new Error('hanging')) : working.get(id).fetch(input, init)),
      }),
    };
    const store = durableBuckets(ns, () => t)({ ...spec, perSecond: 1000 });
    await store.take('k');
    await store.take('k');
    expect(seen.calls).toBe(1);
    failing = false;
    t = 4_999;
    await store.take('k');
    expect(seen.calls).toBe(1);
    t = 5_000;
    await store.take('k');
    await store.take('k');
    expect(seen.calls).toBe(3);
    expect(logged).toHaveBeenCalledTimes(1);
    failing = true;
    await store.take('k');
    expect(logged).toHaveBeenCalledTimes(2);
  });

  it('a limit turned off asks nobody', async () => {
    const { ns, seen } = limiters();
    const store = durableBuckets(ns)({ ...spec, perSecond: 0 });
    for (let k = 0; k < 10; k++) await store.take('k');
    expect(seen.calls).toBe(0);
  });
});
