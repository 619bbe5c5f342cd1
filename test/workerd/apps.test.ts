import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call } from './call.js';

const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);

const VERSION = {
  parameters: { type: 'object', properties: { replicas: { type: 'integer', minimum: 1, default: 1 } } },
  manifests: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app.name}\nspec:\n  replicas:\n    $eval: values.replicas\n',
};

describe('the render path inside workerd (json-e, JSON Schema, content hash)', () => {
  it('an app PUT renders per cluster and the connector is served the objects', async () => {
    const t = `wa-${Date.now().toString(36)}`;
    expect((await call('PUT', `/v1/tenants/${t}`, adminToken, { spec: { displayName: 'Apps in workerd' } })).status).toBe(201);
    const base = `/v1/tenants/${t}`;
    expect((await call('PUT', `${base}/clusters/edge`, adminToken, { metadata: { labels: { env: 'prod' } }, spec: {} })).status).toBe(201);
    const jt = await call('POST', `${base}/clusters/edge/join-tokens`, adminToken, {});
    const reg = await call('POST', '/v1/connector/register', undefined, {
      joinToken: jt.json.token, cluster: { kubernetesVersion: 'v1.31.0', nodeCount: 1, connectorVersion: '0.1.0' },
    });
    expect(reg.status).toBe(200);
    expect((await call('PUT', `${base}/templates/api`, adminToken, { spec: {} })).status).toBe(201);
    expect((await call('PUT', `${base}/templates/api/versions/1.0.0`, adminToken, { spec: VERSION })).status).toBe(201);
    // the schema's patterns are parsed and judged in workerd too
    const stalling = await call('PUT', `${base}/templates/api/versions/1.0.1`, adminToken, {
      spec: { ...VERSION, parameters: { type: 'object', properties: { host: { type: 'string', pattern: '^([a-z]+)*$' } } } },
    });
    expect(stalling.status).toBe(400);
    expect(stalling.json.errors[0].pointer).toBe('/spec/parameters/properties/host/pattern');

    const bad = await call('PUT', `${base}/apps/api`, adminToken, {
      spec: { template: { name: 'api', version: '1.0.0' }, namespace: 'api', values: { replicas: 0 }, placement: { selector: {} } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].pointer).toBe('/spec/values/replicas');

    const put = await call('PUT', `${base}/apps/api`, adminToken, {
      spec: {
        template: { name: 'api', version: '1.0.0' }, namespace: 'api', values: { replicas: 2 }, placement: { selector: { matchLabels: { env: 'prod' } } },
        overrides: [{ clusters: ['edge'], patches: [{ target: { kind: 'Deployment', name: 'api' }, op: 'add', path: '/spec/paused', value: true }] }],
      },
    });
    expect(put.status, put.text).toBe(201);
    expect(put.json.status.clusters.map((c: { name: string }) => c.name)).toEqual(['edge']);

    const desired = await call('GET', '/v1/connector/desired-state', reg.json.credential);
    expect(desired.status).toBe(200);
    expect(desired.json.objects).toHaveLength(1);
    expect(desired.json.objects[0]).toMatchObject({
      kind: 'Deployment', metadata: { name: 'api', namespace: 'api', labels: { 'fleetplane.io/app': 'api', 'fleetplane.io/tenant': t } },
      spec: { replicas: 2, paused: true },
    });
    // the connector's report, written by the status statement through the Neon driver (a batch of one here)
    const resources = [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'api', name: 'api', health: 'Healthy' }];
    const report = (seq: number, health = 'Healthy') => call('PUT', '/v1/connector/status', reg.json.credential,
      { seq, revision: desired.json.revision, apps: [{ name: 'api', revision: 1, resources: resources.map((r) => ({ ...r, health })) }] });
    expect((await report(2)).status).toBe(204);
    expect((await report(1, 'Degraded')).status).toBe(204); // older: changes nothing
    const app = await call('GET', `${base}/apps/api`, adminToken);
    expect(app.json.status).toMatchObject({ phase: 'Ready', summary: { clusters: 1, ready: 1 } });
    expect(app.json.status.clusters[0]).toMatchObject({ name: 'edge', phase: 'Ready', revision: 1 });
    const plan = await call('POST', `${base}/apps/api/plan`, adminToken, { spec: { ...put.json.spec, values: { replicas: 3 } } });
    expect(plan.json.clusters[0]).toMatchObject({ name: 'edge', action: 'update' });
    expect(plan.json.clusters[0].diff).toMatch(/\+\s+replicas: 3/);
  });
});
