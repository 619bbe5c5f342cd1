import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { background, lines, startServer, type Server } from './support.js';

let s: Server;

/** A cluster joined by its connector and heartbeating: a Registered event, then Pending → Ready. */
async function joinAndBeat(name: string) {
  expect((await s.api('PUT', `/v1/tenants/acme/clusters/${name}`, { spec: {} })).status).toBe(201);
  const jt = await s.api('POST', `/v1/tenants/acme/clusters/${name}/join-tokens`, {});
  const reg = await s.api('POST', '/v1/connector/register', {
    joinToken: jt.body.token, cluster: { kubernetesVersion: 'v1.31.2', nodeCount: 3, connectorVersion: '0.1.0' },
  });
  const beat = await s.api('POST', '/v1/connector/heartbeat', { kubernetesVersion: 'v1.31.2', nodeCount: 3 }, reg.body.credential);
  expect(beat.status).toBe(200);
}

beforeAll(async () => {
  s = await startServer();
  await joinAndBeat('edge-1');
  await joinAndBeat('core-1');
});
afterAll(() => s.close());

const ROW = /^(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/;
const summary = (text: string) => lines(text).slice(1).map((l) => { const m = ROW.exec(l)!; return `${m[2]} ${m[3]} ${m[4]}`; });

describe('fleetplane get events', () => {
  it('lists the newest first as a table; --for KIND/NAME takes any case, singular or plural', async () => {
    const all = await s.run(['get', 'events']);
    expect(all.code).toBe(0);
    expect(lines(all.stdout)[0]).toMatch(/^AT\s+KIND\/OBJECT\s+REASON\s+MESSAGE$/);
    expect(summary(all.stdout)).toEqual([
      'cluster/core-1 ClusterPhaseChanged Pending → Ready',
      'cluster/core-1 Registered connector 0.1.0 on Kubernetes v1.31.2',
      'cluster/edge-1 ClusterPhaseChanged Pending → Ready',
      'cluster/edge-1 Registered connector 0.1.0 on Kubernetes v1.31.2',
    ]);
    expect(lines(all.stdout)[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /);

    const one = await s.run(['get', 'events', '--for', 'Clusters/edge-1', '--limit', '1']);
    expect(summary(one.stdout)).toEqual(['cluster/edge-1 ClusterPhaseChanged Pending → Ready']);
  });

  it('-o json gives the API’s events; a --for that is not KIND/NAME fails before any request', async () => {
    const r = await s.run(['get', 'events', '--for', 'cluster/core-1', '-o', 'json']);
    const list = JSON.parse(r.stdout);
    expect(list.kind).toBe('List');
    expect(list.items.map((e: { reason: string }) => e.reason)).toEqual(['ClusterPhaseChanged', 'Registered']);
    expect(list.items[0]).toMatchObject({ kind: 'Cluster', object: 'core-1', message: 'Pending → Ready' });
    expect(Number(list.items[0].id)).toBeGreaterThan(Number(list.items[1].id));

    const bad = await s.run(['get', 'events', '--for', 'template/web']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--for takes KIND/NAME with KIND cluster, app or namespace');
  });

  it('--watch prints the page oldest first, then only newer events as they happen, and exits 0 on Ctrl-C', async () => {
    const w = background(['get', 'events', '--watch', '--interval', '0.1'], s.env);
    await w.until('cluster/core-1');
    await joinAndBeat('edge-2');
    await w.until(/edge-2\s+ClusterPhaseChanged/);
    w.child.kill('SIGINT');
    expect(await w.exited).toBe(0);
    expect(summary(w.out()).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'cluster/edge-1 Registered', 'cluster/edge-1 ClusterPhaseChanged',
      'cluster/core-1 Registered', 'cluster/core-1 ClusterPhaseChanged',
      'cluster/edge-2 Registered', 'cluster/edge-2 ClusterPhaseChanged',
    ]);
    expect(w.err()).toBe('');
  });
});
