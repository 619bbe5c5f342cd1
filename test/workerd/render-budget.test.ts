import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call } from './call.js';

const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);
const cm = (data: unknown) => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r' }, data }];
const range = (n: number) => ({ $eval: `range(0, ${n})` });

/**
 * On Cloudflare, workerd's clock does not move while code runs, so the
 * evaluator's step and size budgets are what stop a hostile render there:
 * each ends in a 400 naming the limit, not in the platform's CPU-limit error.
 * Locally its clock moves, and on a slow machine the 2 s limit can stop the
 * step-bound render first (on one machine its 10 million steps stopped it
 * after 1.8 s in one run, and the 2 s limit came first in the next): either
 * way the budget stopped it, and says so.
 */
describe('the render budget inside workerd', () => {
  it('hostile template versions are refused when stored, with the limit named', async () => {
    const base = `/v1/tenants/wb-${Date.now().toString(36)}`;
    expect((await call('PUT', base, adminToken, { spec: { displayName: 'Budget in workerd' } })).status).toBe(201);
    expect((await call('PUT', `${base}/templates/t`, adminToken, { spec: {} })).status).toBe(201);
    const hostile = [
      [cm(range(50_000_000)), /50000000 elements; at most 100000/],
      [cm({ s: { $reduce: range(30), initial: 'ab', 'each(acc, x)': { $eval: 'acc + acc' } } }), /131072 elements/],
      [cm({ s: { $reduce: range(100_000), initial: 0, 'each(acc, x)': { $reduce: range(100_000), initial: 0, 'each(a, y)': { $eval: 'a + 1' } } } }), /evaluation steps|ran longer than 2000 ms/],
    ] as const;
    let k = 0;
    for (const [manifests, limit] of hostile) {
      const started = Date.now();
      const r = await call('PUT', `${base}/templates/t/versions/1.0.${k++}`, adminToken, { spec: { manifests } });
      console.log(`hostile version ${k}: ${r.status} after ${Date.now() - started} ms`);
      expect(r.status, r.text).toBe(400);
      expect(r.json.errors[0].message).toMatch(/render budget exceeded/);
      expect(r.json.errors[0].message).toMatch(limit);
    }
    // the isolate is still sound: an ordinary version is stored after them
    expect((await call('PUT', `${base}/templates/t/versions/2.0.0`, adminToken, { spec: { manifests: cm({ a: 'b' }) } })).status).toBe(201);
  });
});
