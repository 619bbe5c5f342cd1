import { expect } from 'vitest';
import type { Harness } from './harness.js';

export const FACTS = { kubernetesVersion: 'v1.31.2', nodeCount: 3 };

/** A cluster created, joined and registered: what `kubectl apply` of the install manifest leads to. */
export async function joinCluster(h: Harness, tenant: string, name: string, labels: Record<string, string> = {}) {
  const put = await h.call('PUT', `/v1/tenants/${tenant}/clusters/${name}`, { token: h.adminToken, body: { metadata: { labels }, spec: {} } });
  if (put.status !== 201) throw new Error(`cluster ${name}: ${put.status} ${JSON.stringify(put.body)}`);
  const jt = await h.call('POST', `/v1/tenants/${tenant}/clusters/${name}/join-tokens`, { token: h.adminToken, body: {} });
  const reg = await h.call('POST', '/v1/connector/register', {
    body: { joinToken: jt.body.token, cluster: { ...FACTS, connectorVersion: '0.1.0' } },
  });
  if (reg.status !== 200) throw new Error(`register ${name}: ${reg.status} ${JSON.stringify(reg.body)}`);
  return { uid: reg.body.cluster.uid as string, credential: reg.body.credential as string };
}

export const heartbeat = (h: Harness, credential: string, body: Record<string, unknown> = {}) =>
  h.call('POST', '/v1/connector/heartbeat', { token: credential, body: { ...FACTS, ...body } });

export const clusterOf = (h: Harness, tenant: string, name: string) =>
  h.call('GET', `/v1/tenants/${tenant}/clusters/${name}`, { token: h.adminToken });

/** Long polls waiting in the app's process: counted where the harness sees them (in-process), not behind dev:worker. */
export function expectWaiting(h: Harness, n: number) {
  if (h.waiting) expect(h.waiting()).toBe(n);
}
