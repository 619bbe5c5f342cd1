/**
 * A cluster's whole desired state is at most 8 MiB: a placement that would
 * pass it is an error in the app's status for that cluster (which keeps what
 * it had), not a 5xx and not a failed write for the app's other clusters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { joinCluster } from '../support/fleet.js';
import { putApp, tenantPath } from '../support/apps.js';

let h: Harness;
let full: { credential: string };
let roomy: { credential: string };
const T = tenantPath('acme');
/** 20 entries of the app's string: about 1.8 MB of JSON per app, within one render's 2 MiB */
const BIG = {
  parameters: { type: 'object', properties: { s: { type: 'string', default: '' } } },
  manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${app.name}' }, data: { $merge: { $map: { $eval: 'range(0, 20)' }, 'each(i)': { 'k${i}': { $eval: 'values.s' } } } } }],
};
const spec = (clusters: string[]) => ({ template: { name: 'big', version: '1.0.0' }, namespace: 'n', values: { s: 'x'.repeat(90_000) }, placement: { clusters } });
const desired = async (credential: string) => (await h.call('GET', '/v1/connector/desired-state', { token: credential })).body;

beforeAll(async () => {
  h = await startHarness();
  await h.call('PUT', T, { token: h.adminToken, body: { spec: { displayName: 'Acme' } } });
  full = await joinCluster(h, 'acme', 'full');
  roomy = await joinCluster(h, 'acme', 'roomy');
  await h.call('PUT', `${T}/templates/big`, { token: h.adminToken, body: { spec: {} } });
  const v = await h.call('PUT', `${T}/templates/big/versions/1.0.0`, { token: h.adminToken, body: { spec: BIG } });
  if (v.status !== 201) throw new Error(JSON.stringify(v.body));
}, 60_000);
afterAll(() => h.close());

describe('8 MiB of desired state per cluster', () => {
  it('four apps of 1.8 MB fit on a cluster; a fifth is stored, Failed there with the limit named, and placed on the cluster with room', async () => {
    for (const name of ['a1', 'a2', 'a3', 'a4']) expect((await putApp(h, 'acme', h.adminToken, name, spec(['full']))).status).toBe(201);
    expect((await desired(full.credential)).objects).toHaveLength(4);

    const fifth = await putApp(h, 'acme', h.adminToken, 'a5', spec(['full', 'roomy']));
    expect(fifth.status).toBe(201);
    const status = (await h.call('GET', `${T}/apps/a5`, { token: h.adminToken })).body.status;
    const onFull = status.clusters.find((c: { name: string }) => c.name === 'full');
    expect(onFull.phase).toBe('Failed');
    expect(onFull.message).toMatch(/cluster "full": its desired state would be \d+ bytes with this app, more than the 8388608 bytes \(8 MiB\)/);
    expect(status.phase).toBe('Failed');
    // the full cluster keeps its four apps; the other gets the fifth
    expect((await desired(full.credential)).objects.map((o: { metadata: { name: string } }) => o.metadata.name).sort()).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect((await desired(roomy.credential)).objects.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['a5']);
  });

  it('when room is made, the next change of the app places it', async () => {
    expect((await h.call('DELETE', `${T}/apps/a1`, { token: h.adminToken })).status).toBe(204);
    const again = await putApp(h, 'acme', h.adminToken, 'a5', { ...spec(['full', 'roomy']), values: { s: 'y'.repeat(90_000) } });
    expect(again.status).toBe(200);
    expect((await desired(full.credential)).objects.map((o: { metadata: { name: string } }) => o.metadata.name).sort()).toEqual(['a2', 'a3', 'a4', 'a5']);
  });

  it('a cluster that joins where five such apps select it by label gets four; the fifth is Failed there, naming the limit', async () => {
    const bySelector = { ...spec([]), placement: { selector: { matchLabels: { size: 'big' } } } };
    for (const name of ['b1', 'b2', 'b3', 'b4', 'b5']) expect((await putApp(h, 'acme', h.adminToken, name, bySelector)).status).toBe(201);
    const fresh = await joinCluster(h, 'acme', 'fresh', { size: 'big' });
    expect((await desired(fresh.credential)).objects).toHaveLength(4);
    const phases = await Promise.all(['b1', 'b2', 'b3', 'b4', 'b5'].map(async (name) => {
      const status = (await h.call('GET', `${T}/apps/${name}`, { token: h.adminToken })).body.status;
      return status.clusters.find((c: { name: string }) => c.name === 'fresh') as { phase: string; message?: string };
    }));
    const failed = phases.filter((p) => p.phase === 'Failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toMatch(/cluster "fresh": its desired state would be \d+ bytes with this app, more than the 8388608 bytes \(8 MiB\)/);
  });
});
