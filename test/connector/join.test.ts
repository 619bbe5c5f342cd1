import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCluster, startAgent, startCluster, startControlPlane, until, type ControlPlaneUnderTest } from './support.js';

let cp: ControlPlaneUnderTest;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp.close();
});

describe('joining with the install manifest', () => {
  it('registers once, stores the credential in the Secret, heartbeats, and a restart does not join again', async () => {
    const c = await startCluster();
    const agents: { agent: { close(): Promise<void> } }[] = [];
    try {
      const { values, env } = await installCluster(cp, c.kube, 'acme', 'prod-1');
      expect(values.FLEETPLANE_JOIN_TOKEN).toBeTruthy();
      const one = startAgent({ url: cp.url, joinToken: values.FLEETPLANE_JOIN_TOKEN, kube: c.kube, namespace: env.FLEETPLANE_NAMESPACE, secretName: env.FLEETPLANE_SECRET_NAME });
      agents.push(one);
      await until('registered and synced', () => one.agent.ready);
      expect(one.agent.joins).toBe(1);
      const secret = c.server.store.get('v1', 'Secret', env.FLEETPLANE_NAMESPACE, env.FLEETPLANE_SECRET_NAME!);
      expect(Buffer.from(secret.data.credential, 'base64').toString()).toMatch(/^ey/);
      // the install manifest's own keys are still there
      expect(Buffer.from(secret.data.FLEETPLANE_JOIN_TOKEN, 'base64').toString()).toBe(values.FLEETPLANE_JOIN_TOKEN);
      expect(secret.stringData).toBeUndefined(); // write-only, as in the apiserver
      const cluster = await until('Ready at the API', async () => {
        const r = await cp.api('GET', '/v1/tenants/acme/clusters/prod-1');
        return r.body.status.phase === 'Ready' ? r.body : undefined;
      });
      expect(cluster.status.connectorVersion).toBe('0.1.0');
      await one.agent.close();

      // a restart (same join token in the environment, already consumed) uses the stored credential
      const two = startAgent({ url: cp.url, joinToken: values.FLEETPLANE_JOIN_TOKEN, kube: c.kube, namespace: env.FLEETPLANE_NAMESPACE, secretName: env.FLEETPLANE_SECRET_NAME });
      agents.push(two);
      await until('ready again', () => two.agent.ready);
      expect(two.agent.joins).toBe(0);
      expect(two.agent.revoked).toBe(false);

      // revoke → it stops applying, says so on /readyz, deletes nothing
      expect((await cp.api('POST', '/v1/tenants/acme/clusters/prod-1/revoke')).status).toBe(200);
      await until('revoked', () => two.agent.revoked, 20_000);
      expect(two.agent.ready).toBe(false);
      expect(two.agent.readiness()).toMatch(/revoked/);
      expect(c.server.store.get('v1', 'Secret', env.FLEETPLANE_NAMESPACE, env.FLEETPLANE_SECRET_NAME!)).toBeTruthy();
      await two.agent.close();

      // joining again after a revoke: a new join token (the manifest applied again) is swapped at the next start
      const again = await installCluster(cp, c.kube, 'acme', 'prod-1');
      expect(again.values.FLEETPLANE_JOIN_TOKEN).not.toBe(values.FLEETPLANE_JOIN_TOKEN);
      const three = startAgent({ url: cp.url, joinToken: again.values.FLEETPLANE_JOIN_TOKEN, kube: c.kube, namespace: env.FLEETPLANE_NAMESPACE, secretName: env.FLEETPLANE_SECRET_NAME });
      agents.push(three);
      await until('joined again', () => three.agent.ready);
      expect(three.agent.joins).toBe(1);
      await three.agent.close();
      // and that token, now used, does not make the next start join again
      const four = startAgent({ url: cp.url, joinToken: again.values.FLEETPLANE_JOIN_TOKEN, kube: c.kube, namespace: env.FLEETPLANE_NAMESPACE, secretName: env.FLEETPLANE_SECRET_NAME });
      agents.push(four);
      await until('ready with the stored credential', () => four.agent.ready);
      expect(four.agent.joins).toBe(0);
    } finally {
      for (const a of agents) await a.agent.close();
      await c.close();
    }
  });
});
