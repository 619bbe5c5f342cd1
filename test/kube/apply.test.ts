import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesObjectApi } from '@kubernetes/client-node';
import { startKubeServer, type KubeServer } from './server.js';
import { apply, configMap, deployment, objectApi, statusOf } from './helpers.js';

let server: KubeServer;
let api: KubernetesObjectApi;
beforeAll(async () => {
  server = await startKubeServer({ token: 'secret-token' });
  api = objectApi(server);
});
afterAll(() => server.close());

describe('server-side apply', () => {
  it('creates on first apply and bumps generation only when the spec changes', async () => {
    const created: any = await apply(api, deployment('web'), 'fleet');
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const rv1 = Number(created.metadata.resourceVersion);

    // Re-applying the same content is a no-op: no new resourceVersion, so no watch event.
    const before: any = await api.read(created);
    expect(Number(before.metadata.resourceVersion)).toBeGreaterThanOrEqual(rv1);
    const same: any = await apply(api, deployment('web'), 'fleet');
    expect(same.metadata.generation).toBe(1);
    expect(same.metadata.resourceVersion).toBe(before.metadata.resourceVersion);

    const changed: any = await apply(api, deployment('web', 'default', { image: 'nginx:1.28' }), 'fleet');
    expect(changed.metadata.generation).toBe(2);
    expect(changed.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    expect(server.requests.some((r) => r.method === 'PATCH' && r.fieldManager === 'fleet')).toBe(true);
  });

  it('records ownership in managedFields in the fieldsV1 format', async () => {
    const obj: any = await apply(api, deployment('owned'), 'fleet');
    const entry = obj.metadata.managedFields.find((m: any) => m.manager === 'fleet');
    expect(entry).toMatchObject({ operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    const container = entry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"app"}'];
    expect(container).toMatchObject({ '.': {}, 'f:image': {}, 'f:name': {} });
    expect(entry.fieldsV1['f:metadata']['f:labels']).toEqual({ 'f:app': {} });
    expect(entry.fieldsV1['f:status']).toBeUndefined();
  });

  it('answers 409 with one cause per field another manager owns, and force takes ownership', async () => {
    await apply(api, deployment('contested', 'default', { replicas: 2 }), 'first');
    const { code, status } = await statusOf(apply(api, deployment('contested', 'default', { replicas: 5, image: 'nginx:2' }), 'second'));
    expect(code).toBe(409);
    expect(status).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Conflict', code: 409 });
    expect(status.message).toBe('Apply failed with 2 conflicts: conflicts with "first":\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image');
    expect(status.details.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "first"', field: '.spec.replicas' },
      { reason: 'FieldManagerConflict', message: 'conflict with "first"', field: '.spec.template.spec.containers[name="app"].image' },
    ]);
    expect(server.store.get('apps/v1', 'Deployment', 'default', 'contested').spec.replicas).toBe(2);

    const forced: any = await apply(api, deployment('contested', 'default', { replicas: 5, image: 'nginx:2' }), 'second', true);
    expect(forced.spec.replicas).toBe(5);
    const first = forced.metadata.managedFields.find((m: any) => m.manager === 'first');
    const second = forced.metadata.managedFields.find((m: any) => m.manager === 'second');
    expect(first.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    expect(second.fieldsV1['f:spec']['f:replicas']).toEqual({});
    // Fields both send with equal values are shared, not conflicts.
    expect(first.fieldsV1['f:spec']['f:selector']).toBeDefined();
    expect(second.fieldsV1['f:spec']['f:selector']).toBeDefined();
  });

  it('shares a field applied with the same value without a conflict', async () => {
    await apply(api, configMap('shared', 'default', { a: '1' }), 'one');
    const both: any = await apply(api, configMap('shared', 'default', { a: '1', b: '2' }), 'two');
    expect(both.data).toEqual({ a: '1', b: '2' });
    expect(both.metadata.managedFields.map((m: any) => m.manager).sort()).toEqual(['one', 'two']);
  });

  it('removes a field the manager stopped applying, unless another manager owns it', async () => {
    await apply(api, configMap('prune', 'default', { keep: 'k', drop: 'd', shared: 's' }, { tier: 'web', gone: 'x' }), 'fleet');
    await apply(api, configMap('prune', 'default', { shared: 's' }), 'other');
    const after: any = await apply(api, configMap('prune', 'default', { keep: 'k' }, { tier: 'web' }), 'fleet');
    expect(after.data).toEqual({ keep: 'k', shared: 's' });
    expect(after.metadata.labels).toEqual({ tier: 'web' });
  });

  it('removes a container dropped from an associative list and keeps the others merged', async () => {
    const two = deployment('sidecar');
    two.spec.template.spec.containers.push({ name: 'proxy', image: 'envoy:1', ports: [{ containerPort: 9901 }] });
    await apply(api, two, 'fleet');
    const one: any = await apply(api, deployment('sidecar'), 'fleet');
    expect(one.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app']);
  });

  it('keeps status out of reach of the main resource', async () => {
    const withStatus = { ...deployment('nostatus'), status: { readyReplicas: 99 } };
    const out: any = await apply(api, withStatus, 'fleet');
    expect(out.status?.readyReplicas).not.toBe(99);
  });

  it('requires a fieldManager and an apply body with kind and apiVersion', async () => {
    const res = await fetch(`${server.url}/api/v1/namespaces/default/configmaps/x`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/apply-patch+yaml', Authorization: 'Bearer secret-token' },
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });

    const yaml = await fetch(`${server.url}/api/v1/namespaces/default/configmaps/x?fieldManager=yaml`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/apply-patch+yaml', Authorization: 'Bearer secret-token' },
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v\n',
    });
    expect(yaml.status).toBe(201);
    expect((await yaml.json()).data).toEqual({ k: 'v' });
  });

  it('rejects a request without the configured bearer token, but serves version and health to anyone', async () => {
    for (const auth of [undefined, 'Bearer wrong']) {
      const res = await fetch(`${server.url}/api/v1/namespaces`, { headers: auth ? { Authorization: auth } : {} });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
    expect((await fetch(`${server.url}/version`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/readyz`)).text()).toBe('ok');
  });
});
