import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant, startHarness, type Harness } from '../support/harness.js';
import { clusterOf, heartbeat, joinCluster } from '../support/fleet.js';

let h: Harness;
let acme: Awaited<ReturnType<typeof seedTenant>>;
let a: Awaited<ReturnType<typeof joinCluster>>;
let b: Awaited<ReturnType<typeof joinCluster>>;
beforeAll(async () => {
  h = await startHarness();
  acme = await seedTenant(h, 'acme');
  await seedTenant(h, 'globex');
  a = await joinCluster(h, 'acme', 'a');
  b = await joinCluster(h, 'globex', 'b');
});
afterAll(() => h.close());

const CONNECTOR_ROUTES: [string, string, unknown?][] = [
  ['POST', '/v1/connector/heartbeat', { kubernetesVersion: 'v1', nodeCount: 1 }],
  ['GET', '/v1/connector/desired-state'],
  ['GET', '/v1/connector/watch?revision=0&timeoutSeconds=0'],
  ['PUT', '/v1/connector/status', { seq: 1, revision: 0, apps: [] }],
];

describe('connector credentials', () => {
  it('only a connector credential opens /v1/connector/*: no token, API tokens, admin and user JWTs get 401', async () => {
    await h.call('PUT', '/v1/tenants/acme/members/uma', { token: acme.tokens.owner, body: { spec: { role: 'owner' } } });
    const others = [undefined, acme.tokens.owner, h.adminToken, await h.oidc.sign('uma'), 'garbage'];
    for (const [method, path, body] of CONNECTOR_ROUTES) {
      for (const token of others) {
        const r = await h.call(method, path, { token, body });
        expect(r.status, `${method} ${path}`).toBe(401);
        expect(r.headers.get('content-type')).toBe('application/problem+json');
      }
      expect((await h.call(method, path, { token: a.credential, body })).status, `${method} ${path}`).toBeLessThan(300);
    }
  });

  it("a cluster's credential acts only on its own cluster", async () => {
    expect((await heartbeat(h, a.credential)).status).toBe(200);
    expect((await clusterOf(h, 'acme', 'a')).body.status.phase).toBe('Ready');
    expect((await clusterOf(h, 'globex', 'b')).body.status.phase).toBe('Pending');
    // no tenant API either
    expect((await h.call('GET', '/v1/tenants/acme/clusters', { token: a.credential })).status).toBe(401);
    expect((await h.call('GET', '/v1/tenants', { token: a.credential })).status).toBe(401);
  });

  it('revocation takes effect on the next request; joining again issues a working credential', async () => {
    expect((await heartbeat(h, b.credential)).status).toBe(200);
    const revoked = await h.call('POST', '/v1/tenants/globex/clusters/b/revoke', { token: h.adminToken });
    expect(revoked.status).toBe(200);
    for (const [method, path, body] of CONNECTOR_ROUTES) {
      expect((await h.call(method, path, { token: b.credential, body })).status, `${method} ${path}`).toBe(401);
    }
    const jt = await h.call('POST', '/v1/tenants/globex/clusters/b/join-tokens', { token: h.adminToken, body: {} });
    const again = await h.call('POST', '/v1/connector/register', {
      body: { joinToken: jt.body.token, cluster: { kubernetesVersion: 'v1.31.2', nodeCount: 3, connectorVersion: '0.1.1' } },
    });
    expect(again.status).toBe(200);
    expect((await heartbeat(h, again.body.credential)).status).toBe(200);
    expect((await heartbeat(h, b.credential)).status).toBe(401);
  });

  it('deleting the cluster ends its credential', async () => {
    const c = await joinCluster(h, 'acme', 'doomed');
    expect((await heartbeat(h, c.credential)).status).toBe(200);
    expect((await h.call('DELETE', '/v1/tenants/acme/clusters/doomed', { token: acme.tokens.admin })).status).toBe(204);
    expect((await heartbeat(h, c.credential)).status).toBe(401);
  });

  it('a credential near expiry is replaced in the heartbeat answer; an expired one is refused', async () => {
    const c = await joinCluster(h, 'acme', 'refresh');
    const early = await heartbeat(h, c.credential);
    expect(early.body.credential).toBeUndefined();
    h.clock.advance(50 * 60_000);
    const late = await heartbeat(h, c.credential);
    expect(late.status).toBe(200);
    expect(late.body.credential).toBeTruthy();
    expect(Date.parse(late.body.expiresAt)).toBeGreaterThan(h.clock.now().getTime() + 59 * 60_000);
    h.clock.advance(11 * 60_000);
    expect((await heartbeat(h, c.credential)).status).toBe(401);
    expect((await heartbeat(h, late.body.credential)).status).toBe(200);
  });

  it('validates heartbeat and status bodies, listing every problem', async () => {
    const a = await joinCluster(h, 'acme', 'validating');
    const hb = await h.call('POST', '/v1/connector/heartbeat', {
      token: a.credential, body: { kubernetesVersion: '', nodeCount: 'three', conditions: [{ type: 'Ready', status: 'Maybe' }], extra: 1 },
    });
    expect(hb.status).toBe(400);
    expect(hb.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(
      ['/conditions/0/status', '/extra', '/kubernetesVersion', '/nodeCount'],
    );
    const st = await h.call('PUT', '/v1/connector/status', { token: a.credential, body: { seq: -1, apps: [{}] } });
    expect(st.status).toBe(400);
    expect(st.body.errors.length).toBeGreaterThanOrEqual(4);
  });
});
