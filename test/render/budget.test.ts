/**
 * The render budget (API.md "Render budget"): hostile json-e is stopped while
 * it grows, with a 400-style error naming template, cluster and limit.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RENDER_OBJECTS, renderApp, type Rendered } from '../../worker/render/index.js';

const cm = (data: unknown) => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r' }, data }];
const range = (n: number) => ({ $eval: `range(0, ${n})` });

function render(manifests: unknown[] | string, values: Record<string, unknown> = {}) {
  const started = performance.now();
  const r: Rendered = renderApp({
    template: { name: 'hostile', version: '1.0.0', catalog: false, parameters: {}, manifests },
    tenant: 'acme', app: { name: 'a', namespace: 'n', deletionPolicy: 'Delete' },
    cluster: { name: 'edge-1', labels: {} }, values, overrides: [],
  });
  return { r, ms: performance.now() - started };
}

/** The one error of a refused render: it names the template, the cluster and the limit. */
function refusal(manifests: unknown[] | string) {
  const { r, ms } = render(manifests);
  expect(r.ok).toBe(false);
  const errors = r.ok ? [] : r.errors;
  expect(errors).toHaveLength(1);
  expect(errors[0]!.pointer).toBe('/spec/template');
  expect(errors[0]!.message).toMatch(/^template hostile@1\.0\.0, cluster "edge-1": render budget exceeded: /);
  return { message: errors[0]!.message, ms };
}

describe('render budget: what json-e may build', () => {
  it('range(0, 50000000) is refused before the array exists', () => {
    const { message, ms } = refusal(cm(range(50_000_000)));
    expect(message).toMatch(/50000000 elements; at most 100000/);
    expect(ms).toBeLessThan(500);
  });

  it('a $map over range(0, 200000) is refused at the range', () => {
    expect(refusal(cm({ $map: range(200_000), 'each(i)': 'x' })).message).toMatch(/200000 elements/);
  });

  it('doubling a string in $reduce stops at the first string past 100,000 characters', () => {
    const doubling = cm({ s: { $reduce: range(30), initial: 'ab', 'each(acc, x)': { $eval: 'acc + acc' } } });
    expect(refusal(doubling).message).toMatch(/131072 elements/);
  });

  it('interpolation that grows a string past the limit stops while it grows', () => {
    const s = '${s}'.repeat(30);
    expect(refusal(cm({ x: { $let: { s: { $eval: 'join(range(0, 20000), "")' } }, in: s } })).message).toMatch(/at most 100000/);
  });

  it('join over an array that holds one array many times is measured without being built', () => {
    const m = cm({ $let: { a: range(90_000) }, in: { x: { $eval: 'join([a, a, a, a, a, a, a, a], "-")' } } });
    expect(refusal(m).message).toMatch(/elements; at most 100000/);
  });

  it('$flattenDeep and $json of shared arrays are measured before they are built', () => {
    const shared = { $let: { a: range(50_000) }, in: { $let: { b: { $eval: '[a, a, a, a]' } }, in: { $json: { $eval: 'b' } } } };
    expect(refusal(cm({ x: shared })).message).toMatch(/elements; at most 100000/);
    const flat = { $let: { a: range(50_000) }, in: { $flattenDeep: { $eval: '[a, a, a, a]' } } };
    expect(refusal(cm({ x: flat })).message).toMatch(/elements; at most 100000/);
  });

  it('many medium arrays add up to the allocation budget (a nested $map of 100,000 × 100,000)', () => {
    const { message, ms } = refusal(cm({ $map: range(100_000), 'each(i)': range(100_000) }));
    expect(message).toMatch(/elements and characters in all|evaluation steps/);
    expect(ms).toBeLessThan(2_000);
  });

  it('a loop that builds nothing runs out of steps (or, on Node, of time) within about a second', () => {
    const inner = { $reduce: range(100_000), initial: 0, 'each(a, y)': { $eval: 'a + 1' } };
    const { message, ms } = refusal(cm({ s: { $reduce: range(100_000), initial: 0, 'each(acc, x)': inner } }));
    expect(message).toMatch(/evaluation steps|longer than 2000 ms/);
    expect(ms).toBeLessThan(2_500);
  });

  it('values nested 90,000 deep are refused as a depth limit, not a crash', () => {
    const deep = { $reduce: range(90_000), initial: [], 'each(acc, x)': { $eval: '[acc]' } };
    expect(refusal(cm({ s: deep })).message).toMatch(/deeper than 64 levels|too deeply/);
  });
});

describe('render budget: what a render may produce', () => {
  it('more than 2 MiB of JSON for one cluster is refused, across documents', () => {
    const each = { $map: range(20_000), 'each(i)': '${i}-' + 'a'.repeat(40) };
    expect(refusal([...cm(each), ...cm(each), ...cm(each)].map((d, k) => ({ ...d, metadata: { name: `r${k}` } }))).message).toMatch(/2 MiB/);
  });

  it('an object nested deeper than 64 levels is refused', () => {
    let deep: unknown = 'x';
    for (let k = 0; k < 70; k++) deep = [deep];
    expect(refusal(cm({ deep })).message).toMatch(/deeper than 64 levels/);
  });

  it(`${MAX_RENDER_OBJECTS} objects render; the renderer never emits more`, () => {
    const docs = Array.from({ length: MAX_RENDER_OBJECTS }, (_, k) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${k}` } }));
    const { r } = render(docs);
    expect(r.ok && r.objects.length).toBe(MAX_RENDER_OBJECTS);
    const over = render([...docs, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one-more' } }]).r;
    expect(over.ok).toBe(false);
  });

  it('a budget error in one render does not leak into the next', () => {
    refusal(cm(range(50_000_000)));
    const { r } = render(cm({ n: { $eval: 'str(len(range(0, 99999)))' } }));
    expect(r.ok && r.objects[0]!.data).toEqual({ n: '99999' });
  });
});
