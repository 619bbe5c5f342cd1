import { describe, expect, it } from 'vitest';
import { renderApp } from '../../worker/render/render-app.js';
import type { KubeObject, Rendered } from '../../worker/render/types.js';
import { demoTemplate, input } from './fixtures.js';

function objects(r: Rendered): KubeObject[] {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.objects;
}

const owned = { 'fleetplane.io/tenant': 'acme', 'fleetplane.io/app': 'shop' };

describe('renderApp', () => {
  it('renders the defaults into stamped, namespaced objects (golden)', () => {
    expect(objects(renderApp(input()))).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'shop', namespace: 'prod', labels: { region: 'eu', ...owned } },
        spec: {
          replicas: 1,
          template: { spec: { containers: [{ name: 'main', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'shop-info', namespace: 'shared', labels: owned },
        data: { cluster: 'eu-1', tenant: 'acme' },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'prod.shop.reader', labels: owned },
        rules: [],
      },
    ]);
  });

  it('drops a document whose top-level $if is false and keeps it when true', () => {
    const kinds = (monitoring: boolean) => objects(renderApp(input({ values: { monitoring } }))).map((o) => o.kind);
    expect(kinds(false)).toEqual(['Deployment', 'ConfigMap', 'ClusterRole']);
    expect(kinds(true)).toEqual(['Deployment', 'ConfigMap', 'Service', 'ClusterRole']);
    const svc = objects(renderApp(input({ values: { monitoring: true } })))[2]!;
    expect(svc.metadata).toEqual({ name: 'shop-metrics', namespace: 'prod', labels: owned });
  });

  it('leaves cluster-scoped kinds without a namespace and keeps an explicit one', () => {
    const [deploy, cm, role] = objects(renderApp(input()));
    expect(deploy!.metadata.namespace).toBe('prod');
    expect(cm!.metadata.namespace).toBe('shared');
    expect(role!.metadata).not.toHaveProperty('namespace');
  });

  it('merges defaults, app values and overrides in order, deeply', () => {
    const r = renderApp(
      input({
        values: { replicas: 2, resources: { cpu: '250m' } },
        overrides: [
          { index: 0, override: { clusters: ['eu-1'], values: { replicas: 3 } } },
          { index: 2, override: { selector: { matchLabels: { region: 'eu' } }, values: { resources: { memory: '1Gi' } } } },
        ],
      }),
    );
    const deploy = objects(r)[0]!;
    expect((deploy.spec as { replicas: number }).replicas).toBe(3);
    expect(JSON.stringify(deploy)).toContain('"requests":{"cpu":"250m","memory":"1Gi"}');
  });

  it('renders differently per cluster from the same app', () => {
    const eu = objects(renderApp(input()));
    const us = objects(renderApp(input({ cluster: { name: 'us-1', labels: { region: 'us' } } })));
    expect(eu[0]!.metadata.labels!.region).toBe('eu');
    expect(us[0]!.metadata.labels!.region).toBe('us');
    expect((us[1]!.data as Record<string, string>).cluster).toBe('us-1');
  });

  it('applies override patches after namespacing, to the targeted object only', () => {
    const r = renderApp(
      input({
        overrides: [
          {
            index: 1,
            override: {
              patches: [
                { target: { kind: 'Deployment', name: 'shop' }, op: 'add', path: '/spec/template/spec/nodeSelector', value: { disk: 'ssd' } },
                { target: { kind: 'Deployment', name: 'shop' }, op: 'replace', path: '/metadata/namespace', value: 'edge' },
                { target: { kind: 'ConfigMap', name: 'shop-info' }, op: 'remove', path: '/data/tenant' },
                { target: { kind: 'ConfigMap', name: 'shop-info' }, op: 'test', path: '/data/cluster', value: 'eu-1' },
              ],
            },
          },
        ],
      }),
    );
    const [deploy, cm, role] = objects(r);
    expect((deploy!.spec as { template: { spec: { nodeSelector: unknown } } }).template.spec.nodeSelector).toEqual({ disk: 'ssd' });
    expect(deploy!.metadata.namespace).toBe('edge');
    expect(cm!.data).toEqual({ cluster: 'eu-1' });
    expect(role).toEqual(objects(renderApp(input()))[2]);
  });

  it('stamps ownership over template labels and marks Orphan apps', () => {
    const template = {
      ...demoTemplate,
      manifests: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', labels: { 'fleetplane.io/tenant': 'other', keep: 'me' }, annotations: { a: 'b' } } }],
    };
    const [secret] = objects(renderApp(input({ template, app: { name: 'shop', namespace: 'prod', deletionPolicy: 'Orphan' } })));
    expect(secret!.metadata).toEqual({
      name: 'x',
      namespace: 'prod',
      labels: { keep: 'me', ...owned },
      annotations: { a: 'b', 'fleetplane.io/deletion-policy': 'Orphan' },
    });
    const [deleted] = objects(renderApp(input({ template })));
    expect(deleted!.metadata.annotations).toEqual({ a: 'b' });
    expect(JSON.stringify(deleted)).not.toContain('revision');
  });

  it('does not modify its input', () => {
    const i = input({
      values: { resources: { cpu: '1' } },
      overrides: [{ index: 0, override: { values: { replicas: 4 }, patches: [{ target: { kind: 'Deployment', name: 'shop' }, op: 'add', path: '/spec/x', value: { y: [1] } }] } }],
    });
    const before = structuredClone(i);
    const out = objects(renderApp(i));
    expect(i).toEqual(before);
    // the patch value is copied, not shared
    ((out[0]!.spec as { x: { y: number[] } }).x.y).push(2);
    expect(i.overrides[0]!.override.patches![0]!.value).toEqual({ y: [1] });
  });

  it('does not read the clock: now and $fromNow are fixed, so a render is the same at any time', () => {
    const template = {
      ...demoTemplate,
      parameters: { type: 'object' },
      manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'clock' }, data: { now: '${now}', later: { $fromNow: '1 day' } } }],
    };
    const out = objects(renderApp(input({ template, values: {} })));
    expect(out[0]!.data).toEqual({ now: '1970-01-01T00:00:00.000Z', later: '1970-01-02T00:00:00.000Z' });
  });

  it('is deterministic', () => {
    expect(renderApp(input({ values: { monitoring: true } }))).toEqual(renderApp(input({ values: { monitoring: true } })));
  });
});
