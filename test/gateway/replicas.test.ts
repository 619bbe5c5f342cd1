import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateJwk } from '../../worker/auth/signing-keys.js';
import { NodeGatewayPeers } from '../../worker/node/gateway-peers.js';
import { driverUnderTest } from '../support/database.js';
import { createMigratedDatabase } from '../support/postgres.js';
import { stopProcess } from '../support/start-process.js';
import { until } from '../connector/support.js';
import { startGatewayStack, startHttpsProcess } from './support.js';

/**
 * Two Node replicas on one Postgres, as `npm start` runs them: the connector's
 * socket is on A, kubectl asks B, and B forwards the request to A once, over
 * the hop the replicas sign; A runs it as the caller.
 */
describe.skipIf(driverUnderTest() !== 'pg')('the gateway across two replicas', () => {
  let s: Awaited<ReturnType<typeof startGatewayStack>>;
  let b = '';
  let database: { url: string; drop: () => Promise<void> };
  let viewer: { token: string; name: string };
  let signingKey = '';

  beforeAll(async () => {
    database = await createMigratedDatabase();
    signingKey = JSON.stringify(await generatePrivateJwk());
    s = await startGatewayStack({}, async (o) => {
      const replica = (name: string) => startHttpsProcess(o, database.url, { FLEETPLANE_SIGNING_KEY: signingKey, FLEETPLANE_DATA_DIR: join(o.dir, name) });
      const [pa, pb] = [replica('a'), replica('b')];
      const url = await pa.listening;
      b = await pb.listening;
      return { url, close: () => Promise.all([stopProcess(pa), stopProcess(pb)]) };
    });
    await s.joinCluster('acme', 'edge-1');
    viewer = await s.token('acme', 'viewer', 'reads');
    await s.kubeClient.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, true, 'kubectl');
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await database?.drop();
  });

  it('kubectl on the replica without the tunnel works: forwarded once to the one with it, which runs it as the caller', async () => {
    const sql = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const [route] = (await sql.query('select url, epoch from gateway_routes')).rows;
      expect(route).toMatchObject({ url: s.cp.url });
      expect(Number(route.epoch)).toBeGreaterThanOrEqual(1);
    } finally {
      await sql.end();
    }
    const before = s.kube.requests.length;
    const args = ['--server', `${b}/v1/tenants/acme/clusters/edge-1/proxy`, '--certificate-authority', s.ca.caPath, '--token', viewer.token, '--kubeconfig', '/dev/null'];
    const { execFile } = await import('node:child_process');
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile('kubectl', [...args, 'get', 'namespaces', '-o', 'name'], (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr })));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('namespace/shop');
    const ran = s.kube.requests.slice(before).filter((q) => q.path === '/api/v1/namespaces');
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.every((q) => q.user === `fleetplane:acme:token:${viewer.name}`)).toBe(true);

    // a hop header nobody signed is no hop: B forwards as usual, and A, which holds the tunnel, runs it
    const path = '/v1/tenants/acme/clusters/edge-1/proxy/api/v1/namespaces';
    const forged = { token: viewer.token, headers: { 'x-fleetplane-gateway-hop': `1.${'0'.repeat(64)}` } };
    expect((await s.call('GET', `${b}${path}`, forged)).status).toBe(200);
    expect((await s.call('GET', `${s.cp.url}${path}`, forged)).status).toBe(200);
    // forwarded once: a signed hop reaching a replica without the tunnel ends there (B has none) with a 503
    const hop = await new NodeGatewayPeers(undefined as never, signingKey).hop(new Request(`${b}${path}`), 1);
    const once = await s.call('GET', `${b}${path}`, { token: viewer.token, headers: { 'x-fleetplane-gateway-hop': hop } });
    expect(once.status).toBe(503);
    expect(once.headers['retry-after']).toBe('5');
    // and on A, a signed hop for an epoch that is not its socket's is refused: the tunnel moved
    const stale = await new NodeGatewayPeers(undefined as never, signingKey).hop(new Request(`${s.cp.url}${path}`), 999);
    const moved = await s.call('GET', `${s.cp.url}${path}`, { token: viewer.token, headers: { 'x-fleetplane-gateway-hop': stale } });
    expect(moved.status).toBe(503);
    expect(moved.body.detail).toContain('moved');
  });

  it("logs across replicas: B reads the app's pods on a cluster whose socket A holds", async () => {
    const put = await s.api('PUT', '/v1/tenants/acme/apps/web', {
      spec: { template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'shop', placement: { clusters: ['edge-1'] } },
    });
    expect(put.status).toBe(201);
    await until('deployed', () => s.kube.store.get('apps/v1', 'Deployment', 'shop', 'web'), 20_000);
    await s.kubeClient.apply({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-a', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    }, true, 'kubelet');
    s.kube.logs.append('shop', 'web-a', 'web', 'printed where A holds the socket');
    const r = await s.call('GET', `${b}/v1/tenants/acme/apps/web/logs?tailLines=5`, { token: viewer.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ cluster: 'edge-1', namespace: 'shop', pod: 'web-a', container: 'web', line: 'printed where A holds the socket' });
  });
});
