import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../connectors/simulate.js';
import { startKubeServer } from '../kube/server.js';
import { startControlPlane, until, type ControlPlaneUnderTest } from './support.js';

let cp: ControlPlaneUnderTest;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(() => cp.close());

describe('simulation: N connectors in one process', () => {
  it('joins three clusters and applies one app to all of them', { timeout: 60_000 }, async () => {
    const servers = await Promise.all([0, 1, 2].map(() => startKubeServer()));
    await cp.api('PUT', '/v1/tenants/sim', { spec: { displayName: 'sim' } });
    const tokens: string[] = [];
    for (const i of [0, 1, 2]) {
      await cp.api('PUT', `/v1/tenants/sim/clusters/c${i}`, { metadata: { labels: { sim: 'yes' } }, spec: {} });
      tokens.push((await cp.api('POST', `/v1/tenants/sim/clusters/c${i}/join-tokens`, {})).body.token);
    }
    const sim = await simulate({ url: cp.url, joinTokens: tokens, kubeconfigs: servers.map((s) => s.kubeconfig()) });
    try {
      await until('all registered', () => sim.ready() === 3);
      const put = await cp.api('PUT', '/v1/tenants/sim/apps/hello', {
        spec: { template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'hello', values: {}, placement: { selector: { matchLabels: { sim: 'yes' } } } },
      });
      expect(put.status).toBe(201);
      await until('applied everywhere', () => servers.every((s) => s.store.get('apps/v1', 'Deployment', 'hello', 'hello')));
      await until('Ready at the API', async () => (await cp.api('GET', '/v1/tenants/sim/apps/hello')).body.status.phase === 'Ready', 15_000);
    } finally {
      await sim.stop();
      for (const s of servers) await s.close();
    }
  });
});
