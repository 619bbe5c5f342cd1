import { describe, expect, it } from 'vitest';
import { renderNamespace } from '../../worker/render/render-namespace.js';

const owned = { 'fleetplane.io/tenant': 'acme', 'fleetplane.io/namespace': 'team-a' };

describe('renderNamespace', () => {
  it('renders only the Namespace without a quota, ownership labels winning', () => {
    expect(renderNamespace({ tenant: 'acme', name: 'team-a', spec: { labels: { team: 'a', 'fleetplane.io/tenant': 'evil' } } })).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { team: 'a', ...owned } } },
    ]);
  });

  it('adds a ResourceQuota and a LimitRange with a full quota', () => {
    const [ns, quota, limits] = renderNamespace({ tenant: 'acme', name: 'team-a', spec: { quota: { cpu: '4', memory: '8Gi', pods: 20 } } });
    expect(ns!.metadata.labels).toEqual(owned);
    expect(quota).toEqual({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'fleetplane-quota', namespace: 'team-a', labels: owned },
      spec: { hard: { 'requests.cpu': '4', 'limits.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '8Gi', pods: '20' } },
    });
    expect(limits).toEqual({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'fleetplane-defaults', namespace: 'team-a', labels: owned },
      spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '512Mi' } }] },
    });
  });

  it('defaults only the resources the quota caps', () => {
    const objects = renderNamespace({ tenant: 'acme', name: 'team-a', spec: { quota: { memory: '1Gi' } } });
    expect(objects[1]!.spec).toEqual({ hard: { 'requests.memory': '1Gi', 'limits.memory': '1Gi' } });
    expect(objects[2]!.spec).toEqual({ limits: [{ type: 'Container', defaultRequest: { memory: '128Mi' }, default: { memory: '512Mi' } }] });
    const podsOnly = renderNamespace({ tenant: 'acme', name: 'team-a', spec: { quota: { pods: 5 } } });
    expect(podsOnly.map((o) => o.kind)).toEqual(['Namespace', 'ResourceQuota']);
  });
});
