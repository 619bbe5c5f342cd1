import { describe, expect, it } from 'vitest';
import { KubeError } from './errors.js';
import { fromFieldsV1, leafPaths, toFieldsV1 } from './field-paths.js';
import { kindFor } from './kinds.js';
import { strategicMergePatch } from './merge.js';
import { parseLabelSelector } from './selectors.js';
import { KubeStore, PATCH_TYPES } from './store.js';
import type { Change } from './watch-hub.js';

/** The store on its own, as a simulation drives it: no HTTP, same semantics. */
const cm = (name: string, data: Record<string, string>, namespace = 'default') =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });

function thrown(fn: () => unknown): KubeError {
  try { fn(); } catch (e) { if (e instanceof KubeError) return e; throw e; }
  throw new Error('expected a KubeError');
}

describe('KubeStore without HTTP', () => {
  it('applies, reads, lists, watches and deletes with one resourceVersion counter', () => {
    const store = new KubeStore();
    const seen: Change[] = [];
    const info = kindFor('v1', 'ConfigMap')!;
    const w = store.watch(info, 'default', { resourceVersion: store.resourceVersion }, (c) => seen.push(c));
    const { object, created } = store.apply(cm('a', { k: '1' }), { manager: 'sim' });
    expect(created).toBe(true);
    expect(store.get('v1', 'ConfigMap', 'default', 'a')).toBe(object);
    store.apply(cm('a', { k: '2' }), { manager: 'sim' });
    store.delete('v1', 'ConfigMap', 'default', 'a');
    w.stop();
    expect(seen.map((c) => c.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(seen.map((c) => c.rv)).toEqual([1, 2, 3].map((d) => Number(object.metadata.resourceVersion) - 1 + d));
    expect(store.list('v1', 'ConfigMap', 'default')).toEqual([]);
    expect(thrown(() => store.read(info, 'default', 'a')).code).toBe(404);
  });

  it('keeps stored objects immutable, so reads can share them safely', () => {
    const store = new KubeStore();
    const first = store.apply(cm('imm', { k: '1' }), { manager: 'sim' }).object;
    const snapshot = structuredClone(first);
    store.apply(cm('imm', { k: '2' }), { manager: 'sim' });
    expect(first).toEqual(snapshot);
  });

  it('patches by content type, and rejects an unknown one with 415', () => {
    const store = new KubeStore();
    store.apply(cm('p', { a: '1' }), { manager: 'sim' });
    const merged = store.patch('v1', 'ConfigMap', 'default', 'p', PATCH_TYPES.merge, { data: { b: '2' } }, { manager: 'm' }).object;
    expect(merged.data).toEqual({ a: '1', b: '2' });
    const json = store.patch('v1', 'ConfigMap', 'default', 'p', PATCH_TYPES.json, [{ op: 'remove', path: '/data/a' }], { manager: 'm' }).object;
    expect(json.data).toEqual({ b: '2' });
    expect(thrown(() => store.patch('v1', 'ConfigMap', 'default', 'p', 'text/plain', {}, {})).code).toBe(415);
  });

  it('refuses to delete the system namespaces', () => {
    const err = thrown(() => new KubeStore().delete('v1', 'Namespace', undefined, 'default'));
    expect(err.status()).toMatchObject({ code: 403, reason: 'Forbidden', message: 'namespaces "default" is forbidden: this namespace may not be deleted' });
  });
});

describe('field paths and fieldsV1', () => {
  it('keys containers by name and ports by containerPort and protocol, and round-trips fieldsV1', () => {
    const spec = { containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 80, protocol: 'TCP' }] }], tolerations: [{ key: 'a' }] };
    const fields = toFieldsV1(leafPaths({ spec }));
    expect(fields).toEqual({
      'f:spec': {
        'f:containers': {
          'k:{"name":"app"}': {
            '.': {}, 'f:name': {}, 'f:image': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
          },
        },
        'f:tolerations': {},
      },
    });
    expect(toFieldsV1(fromFieldsV1(fields))).toEqual(fields);
  });
});

describe('strategic merge patch', () => {
  it('merges keyed lists by key, deletes with $patch: delete, replaces atomic lists', () => {
    const live = { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }], args: ['x', 'y'] };
    const out = strategicMergePatch(live, { containers: [{ name: 'a', image: '2' }, { name: 'b', $patch: 'delete' }], args: ['z'] });
    expect(out).toEqual({ containers: [{ name: 'a', image: '2' }], args: ['z'] });
  });

  it('honours the directives client-side kubectl apply sends', () => {
    const live = { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, finalizers: ['a', 'b'] };
    const out = strategicMergePatch(live, {
      strategy: { type: 'Recreate', $retainKeys: ['type'] },
      '$deleteFromPrimitiveList/finalizers': ['a'],
      '$setElementOrder/containers': [{ name: 'x' }],
    });
    expect(out).toEqual({ strategy: { type: 'Recreate' }, finalizers: ['b'] });
    expect(thrown(() => strategicMergePatch(live, { $frobnicate: true })).code).toBe(400);
  });
});

describe('label selectors', () => {
  it('parses equality and set-based requirements, and rejects nonsense with 400', () => {
    const sel = parseLabelSelector('env in (prod, staging),tier!=db,!legacy,app');
    expect(sel({ env: 'prod', app: 'x' })).toBe(true);
    expect(sel({ env: 'prod', app: 'x', tier: 'db' })).toBe(false);
    expect(sel({ env: 'dev', app: 'x' })).toBe(false);
    expect(sel({ env: 'prod', app: 'x', legacy: 'y' })).toBe(false);
    expect(sel({ env: 'prod' })).toBe(false);
    expect(thrown(() => parseLabelSelector('a in b')).code).toBe(400);
  });
});
