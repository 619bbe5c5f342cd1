import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../worker/lib/problem.js';
import { RenderPool } from '../../worker/node/render-pool/pool.js';
import { isBudgetError } from '../../worker/rendering/budget-error.js';
import { inlineRenderer, type RenderBatch } from '../../worker/rendering/renderer.js';

const cm = (data: unknown) => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r' }, data }];
/** json-e counting 10^10 times: about a second of CPU in constant memory before the evaluator's own step budget ends it */
const SPIN = cm({ n: { $reduce: { $eval: 'range(0, 100000)' }, initial: 0, 'each(acc, x)': { $reduce: { $eval: 'range(0, 100000)' }, initial: 0, 'each(a, y)': { $eval: 'a + 1' } } } });
/** 100,000 small arrays: within the evaluator's element budget, some 40 MB of heap, far more than a 16 MiB render process holds */
const GROW = cm({ $map: { $eval: 'range(0, 100000)' }, 'each(i)': { $eval: 'range(0, 35)' } });
const PER_CLUSTER = cm({ cluster: '${cluster.name}', region: '${cluster.labels.region}' });

const batch = (manifests: unknown[], clusters: string[]): RenderBatch => ({
  shared: {
    template: { name: 'web', version: '1.0.0', catalog: false, parameters: { type: 'object' }, manifests },
    tenant: 'acme',
    app: { name: 'shop', namespace: 'prod', deletionPolicy: 'Delete' },
    values: {},
  },
  targets: clusters.map((name) => ({ cluster: { name, labels: { region: `r-${name}` } }, overrides: [] })),
});
const names = (n: number) => Array.from({ length: n }, (_, k) => `c${k}`);
const messages = (r: Awaited<ReturnType<RenderPool['renderApp']>>[number]) => (r.ok ? [] : r.errors.map((e) => e.message));

const pools: RenderPool[] = [];
const pool = (o: ConstructorParameters<typeof RenderPool>[0] = {}) => {
  const p = new RenderPool(o);
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('the render pool', () => {
  it('renders a batch larger than a chunk exactly as inline rendering does, in order', async () => {
    const b = batch(PER_CLUSTER, names(150));
    const [pooled, single, inline] = await Promise.all([pool({ chunk: 16 }).renderApp(b), pool({ size: 1, chunk: 1 }).renderApp(b), inlineRenderer.renderApp(b)]);
    expect(pooled).toHaveLength(150);
    expect(pooled).toEqual(inline);
    expect(single).toEqual(inline);
    expect(pooled[149]).toMatchObject({ ok: true, objects: [{ data: { cluster: 'c149', region: 'r-c149' } }] });
  });

  it('a render past its deadline is stopped, named by template, cluster and limit; its process is replaced and the next render works', async () => {
    const p = pool({ size: 1, deadlineMs: 300 });
    const started = performance.now();
    const [stuck] = await p.renderApp(batch(SPIN, ['eu-1']));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(stuck!.ok).toBe(false);
    expect(messages(stuck!)).toEqual(['template web@1.0.0, cluster "eu-1": render budget exceeded: did not finish within 0.3 s']);
    expect(!stuck!.ok && isBudgetError(stuck!.errors[0]!)).toBe(true);
    const [next] = await p.renderApp(batch(PER_CLUSTER, ['us-1']));
    expect(next).toMatchObject({ ok: true, objects: [{ data: { cluster: 'us-1' } }] });
  });

  it('the deadline is per render, not per batch: many quick renders take longer than it together', async () => {
    const p = pool({ size: 1, deadlineMs: 200, chunk: 8 });
    const many = cm({ n: { $reduce: { $eval: 'range(0, 3000)' }, initial: 0, 'each(acc, x)': { $eval: 'acc + 1' } }, c: '${cluster.name}' });
    // a fresh render process's own start-up (some hundreds of ms of CPU on a busy runner) is
    // counted against its first render: started first, so that only the renders are timed
    await p.renderApp(batch(PER_CLUSTER, ['warm-up']));
    const started = performance.now();
    const rs = await p.renderApp(batch(many, names(60)));
    expect(performance.now() - started).toBeGreaterThan(200);
    expect(rs.filter((r) => !r.ok)).toEqual([]);
  });

  it('a render that outgrows the heap kills its process alone: a 400-style error naming the memory limit, then the next render works', async () => {
    // Near its heap limit V8 collects over and over before it gives up. With 32 MiB (the render
    // needing some 40 MB) that outlasted the 2 s time budget on a slow machine in 5 runs of 5; with
    // 16 MiB the limit is hit at about a third of the way, long before. This test is about memory, not time.
    const p = pool({ size: 1, heapMb: 16, deadlineMs: 20_000 });
    const [grown, after, later] = await p.renderApp(batch(GROW, ['eu-1', 'eu-2', 'eu-3']));
    expect(messages(grown!)).toEqual(['template web@1.0.0, cluster "eu-1": render budget exceeded: used more than its 16 MiB of memory']);
    // the batch's later clusters share one error, so a 400 lists it once
    expect(messages(after!)).toEqual(messages(later!));
    expect(messages(after!)[0]).toMatch(/render budget exceeded on cluster "eu-1" \(used more than its 16 MiB of memory\); its later clusters were not rendered/);
    const [next] = await p.renderApp(batch(PER_CLUSTER, ['us-1']));
    expect(next!.ok).toBe(true);
  });

  it('a result over 2 MiB of JSON is refused before it crosses to the server', async () => {
    const big = cm({ s: { $reduce: { $eval: 'range(0, 21)' }, initial: 'ab', 'each(acc, x)': { $eval: 'acc + acc' } } });
    const [r] = await pool().renderApp(batch(big, ['eu-1']));
    expect(messages(r!).join()).toMatch(/template web@1.0.0, cluster "eu-1": render budget exceeded/);
  });

  it('a full queue answers 503 with Retry-After instead of holding every request', async () => {
    const p = pool({ size: 1, maxQueued: 1, deadlineMs: 300 });
    const running = p.renderApp(batch(SPIN, ['a']));
    const queued = p.renderApp(batch(PER_CLUSTER, ['b']));
    const refused = await p.renderApp(batch(PER_CLUSTER, ['c'])).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 503, headers: { 'Retry-After': '1' } });
    expect(messages((await running)[0]!)[0]).toMatch(/did not finish within 0.3 s/);
    expect((await queued)[0]!.ok).toBe(true);
  });
});
