import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessWithTenant, seedTenant, type Harness, type SeededTenant } from '../support/harness.js';
import { heartbeat, joinCluster } from '../support/fleet.js';

let h: Harness;
let acme: SeededTenant;
let edge: Awaited<ReturnType<typeof joinCluster>>;
beforeAll(async () => {
  ({ h, tenant: acme } = await harnessWithTenant('acme'));
  edge = await joinCluster(h, 'acme', 'edge');
  await heartbeat(h, edge.credential);
  h.clock.advance(41_000);
  await heartbeat(h, edge.credential); // back after 41 s of silence: Unknown, then Ready again
  const core = await joinCluster(h, 'acme', 'core');
  await heartbeat(h, core.credential);
});
afterAll(() => h.close());

const list = (query = '', token = acme.tokens.viewer) => h.call('GET', `/v1/tenants/acme/events${query}`, { token });
type Item = { id: string; kind: string; object: string; reason: string; message: string; at: string };

describe('events', () => {
  it('lists what happened, newest first: registrations and phase changes, each at its time', async () => {
    const r = await list();
    expect(r.status).toBe(200);
    expect(r.body.items.map((e: Item) => `${e.object} ${e.reason} ${e.message}`)).toEqual([
      'core ClusterPhaseChanged Pending → Ready',
      'core Registered connector 0.1.0 on Kubernetes v1.31.2',
      'edge ClusterPhaseChanged Unknown → Ready',
      'edge ClusterPhaseChanged Ready → Unknown',
      'edge ClusterPhaseChanged Pending → Ready',
      'edge Registered connector 0.1.0 on Kubernetes v1.31.2',
    ]);
    const [, , back, silent] = r.body.items as Item[];
    expect(back!.kind).toBe('Cluster');
    // the silence is dated when its 40 s passed, not when the connector came back
    expect(Date.parse(back!.at) - Date.parse(silent!.at)).toBe(1_000);
    expect(r.body.nextCursor).toBeNull();
  });

  it('filters by kind and object, and pages with a cursor bound to its filters', async () => {
    const edgeOnly = await list('?kind=Cluster&object=edge');
    expect(edgeOnly.body.items.map((e: Item) => e.object)).toEqual(['edge', 'edge', 'edge', 'edge']);
    expect((await list('?kind=App')).body.items).toEqual([]);
    const p1 = await list('?object=edge&limit=3');
    expect(p1.body.items).toHaveLength(3);
    const p2 = await list(`?object=edge&limit=3&cursor=${encodeURIComponent(p1.body.nextCursor)}`);
    expect([...p1.body.items, ...p2.body.items]).toEqual(edgeOnly.body.items);
    expect(p2.body.nextCursor).toBeNull();
    // the same cursor on another listing would skip or repeat: refused
    const other = await list(`?object=core&cursor=${encodeURIComponent(p1.body.nextCursor)}`);
    expect(other.status).toBe(400);
  });

  it('refuses a bad query, naming every field that is wrong', async () => {
    const r = await list('?kind=Pod&limit=0');
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    expect(r.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/kind', '/limit']);
  });

  it('is for the tenant’s members: no token or a connector credential 401, another tenant 404', async () => {
    expect((await h.call('GET', '/v1/tenants/acme/events')).status).toBe(401);
    expect((await list('', edge.credential)).status).toBe(401);
    const globex = await seedTenant(h, 'globex');
    expect((await list('', globex.tokens.owner)).status).toBe(404);
    const theirs = await h.call('GET', '/v1/tenants/globex/events', { token: globex.tokens.viewer });
    expect(theirs.status).toBe(200);
    expect(theirs.body.items).toEqual([]);
  });
});
