import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessWithTenant, seedTenant, type Harness, type SeededTenant } from '../support/harness.js';
import { FACTS } from '../support/fleet.js';

let h: Harness;
let acme: SeededTenant;
beforeAll(async () => ({ h, tenant: acme } = await harnessWithTenant()));
afterAll(() => h.close());

const createCluster = (name: string) =>
  h.call('PUT', `/v1/tenants/acme/clusters/${name}`, { token: acme.tokens.admin, body: { metadata: { labels: { env: 'prod' } }, spec: { description: 'edge' } } });
const joinToken = (name: string, body: unknown = {}) =>
  h.call('POST', `/v1/tenants/acme/clusters/${name}/join-tokens`, { token: acme.tokens.admin, body });
const register = (joinToken: string) =>
  h.call('POST', '/v1/connector/register', { body: { joinToken, cluster: { ...FACTS, connectorVersion: '0.1.0' } } });
const pathOf = (url: string) => new URL(url).pathname;

describe('joining a cluster', () => {
  it('end to end: cluster → join token → install manifest → register → Pending until the first heartbeat', async () => {
    expect((await createCluster('edge-1')).status).toBe(201);
    const jt = await joinToken('edge-1');
    expect(jt.status).toBe(201);
    expect(jt.body.token).toMatch(/^fpj_/);
    expect(jt.body.installUrl).toBe(`https://fleetplane.test/v1/join/${jt.body.token}/install.yaml`);
    expect(jt.body.command).toBe(`kubectl apply -f ${jt.body.installUrl}`);
    expect(Date.parse(jt.body.expiresAt) - h.clock.now().getTime()).toBeGreaterThan(3590_000);
    expect(Date.parse(jt.body.expiresAt) - h.clock.now().getTime()).toBeLessThan(3610_000);

    const install = await h.fetch(pathOf(jt.body.installUrl));
    expect(install.status).toBe(200);
    expect(install.headers.get('content-type')).toContain('yaml');
    const docs = parseAllDocuments(await install.text()).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual([
      'Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Secret',
      // the gateway's identity: may only impersonate; the three groups bound to view, edit and admin
      'ServiceAccount', 'Secret', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'ClusterRoleBinding', 'ClusterRoleBinding', 'Deployment',
    ]);
    const bindings = docs.filter((d) => d.kind === 'ClusterRoleBinding' && d.subjects[0].kind === 'Group');
    expect(bindings.map((b) => [b.subjects[0].name, b.roleRef.name])).toEqual([['fleetplane:viewers', 'view'], ['fleetplane:operators', 'edit'], ['fleetplane:admins', 'admin']]);
    const gatewayRole = docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === 'fleetplane-gateway');
    expect(gatewayRole.rules.flatMap((r: { verbs: string[] }) => r.verbs)).toEqual(['impersonate', 'impersonate']);
    expect(docs.every((d) => d.metadata.labels['fleetplane.io/tenant'] === 'acme')).toBe(true);
    const secret = docs.find((d) => d.kind === 'Secret');
    expect(secret.metadata.namespace).toBe('fleetplane-system');
    expect(secret.stringData).toMatchObject({ FLEETPLANE_URL: 'https://fleetplane.test', FLEETPLANE_JOIN_TOKEN: jt.body.token });
    const container = docs.find((d) => d.kind === 'Deployment').spec.template.spec.containers[0];
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
    expect(container.livenessProbe).toBeDefined();
    expect(container.readinessProbe).toBeDefined();

    const reg = await register(jt.body.token);
    expect(reg.status).toBe(200);
    expect(reg.body.cluster).toMatchObject({ tenant: 'acme', name: 'edge-1' });
    expect(reg.body.heartbeatIntervalSeconds).toBe(10);
    const claims = JSON.parse(Buffer.from(reg.body.credential.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ sub: reg.body.cluster.uid, aud: 'fleetplane-connector' });
    expect(claims.exp - claims.iat).toBe(3600);
    const cluster = await h.call('GET', '/v1/tenants/acme/clusters/edge-1', { token: acme.tokens.viewer });
    expect(cluster.body.status).toMatchObject({ phase: 'Pending', kubernetesVersion: 'v1.31.2', nodeCount: 3, connectorVersion: '0.1.0' });
    // the token is spent: neither the manifest nor a second registration works
    expect((await h.fetch(pathOf(jt.body.installUrl))).status).toBe(404);
    expect((await register(jt.body.token)).status).toBe(401);
  });

  it('one join token raced by several registrations yields exactly one credential', async () => {
    await createCluster('edge-race');
    const jt = await joinToken('edge-race');
    const answers = await Promise.all(Array.from({ length: 6 }, () => register(jt.body.token)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
  });

  it('an expired join token neither installs nor registers', async () => {
    await createCluster('edge-late');
    const jt = await joinToken('edge-late', { expiresInSeconds: 600 });
    expect(jt.status).toBe(201);
    h.clock.advance(601_000);
    expect((await h.fetch(pathOf(jt.body.installUrl))).status).toBe(404);
    const late = await register(jt.body.token);
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('invalid_join_token');
  });

  it('rejects a bad registration body listing every problem, and an unknown token', async () => {
    const bad = await h.call('POST', '/v1/connector/register', { body: { joinToken: '', cluster: { nodeCount: -1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(
      ['/cluster/connectorVersion', '/cluster/kubernetesVersion', '/cluster/nodeCount', '/joinToken'],
    );
    expect((await register('fpj_nope')).status).toBe(401);
  });

  it('join tokens of another tenant’s cluster are not reachable', async () => {
    const globex = await seedTenant(h, 'globex');
    const r = await h.call('POST', '/v1/tenants/acme/clusters/edge-1/join-tokens', { token: globex.tokens.owner, body: {} });
    expect(r.status).toBe(404);
  });
});
