import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSpec, publishWebTemplate, putApp } from '../support/apps.js';
import { heartbeat, joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
let eu: Awaited<ReturnType<typeof joinCluster>>;
let us: Awaited<ReturnType<typeof joinCluster>>;
let seq = 0;
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  eu = await joinCluster(h, 'acme', 'eu-1', { env: 'prod' });
  us = await joinCluster(h, 'acme', 'us-1', { env: 'prod' });
  await publishWebTemplate(h, 'acme', t.tokens.operator);
  expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec())).status).toBe(201);
});
afterAll(() => h.close());

const resources = (health: string) => [
  { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'shop', health, ...(health === 'Degraded' ? { message: 'ProgressDeadlineExceeded' } : {}) },
  { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'shop-config', health: 'Healthy' },
];
async function report(credential: string, revision: number, health: string) {
  await heartbeat(h, credential);
  const r = await h.call('PUT', '/v1/connector/status', {
    token: credential, body: { seq: ++seq, revision: 0, apps: [{ name: 'shop', revision, resources: resources(health) }] },
  });
  expect(r.status).toBe(204);
}
const app = async () => (await h.call('GET', '/v1/tenants/acme/apps/shop', { token: t.tokens.viewer })).body;

describe('app status, rolled up from the connectors’ reports', () => {
  it('Progressing and Pending until every placed cluster reports the newest revision Healthy, then Ready', async () => {
    let a = await app();
    expect(a.status).toMatchObject({ phase: 'Progressing', observedGeneration: 0, summary: { clusters: 2, ready: 0, progressing: 2 } });
    expect(a.status.clusters.map((c: any) => c.phase)).toEqual(['Pending', 'Pending']);

    await report(eu.credential, 1, 'Progressing');
    await report(us.credential, 1, 'Healthy');
    a = await app();
    expect(a.status.clusters.map((c: any) => [c.name, c.phase, c.revision])).toEqual([['eu-1', 'Progressing', 1], ['us-1', 'Ready', 1]]);
    expect(a.status.phase).toBe('Progressing');
    expect(a.status.observedGeneration).toBe(1);

    await report(eu.credential, 1, 'Healthy');
    a = await app();
    expect(a.status).toMatchObject({ phase: 'Ready', observedGeneration: 1, summary: { ready: 2, progressing: 0 } });
    expect(a.status.clusters[0].resources).toHaveLength(2);
  });

  it('a new generation is Pending where the connector has not caught up; observedGeneration stays behind', async () => {
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec({ values: { replicas: 4 } }))).status).toBe(200);
    let a = await app();
    expect(a.metadata.generation).toBe(2);
    expect(a.status).toMatchObject({ phase: 'Progressing', observedGeneration: 1 });
    expect(a.status.clusters.every((c: any) => c.phase === 'Pending' && c.revision === 1)).toBe(true);
    await report(eu.credential, 2, 'Healthy');
    await report(us.credential, 2, 'Degraded');
    a = await app();
    expect(a.status).toMatchObject({ phase: 'Failed', observedGeneration: 2, summary: { ready: 1, failed: 1 } });
    // the cluster that needs attention comes first
    expect(a.status.clusters.map((c: any) => c.name)).toEqual(['us-1', 'eu-1']);
    expect(a.status.clusters[0].resources[0]).toMatchObject({ health: 'Degraded', message: 'ProgressDeadlineExceeded' });
  });

  it('a cluster gone dark shows Unknown, never its stale Ready; all dark is Unknown', async () => {
    await report(us.credential, 2, 'Healthy');
    expect((await app()).status.phase).toBe('Ready');
    h.clock.advance(41_000);
    await heartbeat(h, eu.credential); // eu stays in touch, us goes silent
    let a = await app();
    expect(a.status.clusters.map((c: any) => [c.name, c.phase])).toEqual([['us-1', 'Unknown'], ['eu-1', 'Ready']]); // needs attention: first
    expect(a.status.clusters[0].resources.every((r: any) => r.health === 'Unknown')).toBe(true);
    expect(a.status).toMatchObject({ phase: 'Progressing', summary: { ready: 1, unknown: 1 } });
    h.clock.advance(5 * 60_000 + 1_000);
    a = await app();
    expect(a.status.phase).toBe('Unknown');
    expect(a.status.clusters.map((c: any) => c.message)).toEqual(['cluster is Offline', 'cluster is Offline']);
  });
});
