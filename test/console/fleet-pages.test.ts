import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessWithTenant, seedTenant, type Harness, type SeededTenant } from '../support/harness.js';
import { heartbeat, joinCluster } from '../support/fleet.js';
import { page, post, signIn } from './support.js';

let h: Harness;
let acme: SeededTenant;
const cookies = {} as Record<'admin' | 'viewer', string>;
beforeAll(async () => {
  ({ h, tenant: acme } = await harnessWithTenant('acme'));
  await seedTenant(h, 'globex');
  await joinCluster(h, 'globex', 'theirs');
  cookies.admin = await signIn(h, acme.tokens.admin);
  cookies.viewer = await signIn(h, acme.tokens.viewer);
});
afterAll(() => h.close());

describe('adding a cluster', () => {
  it('creates it with its labels and answers the join command once, with a Copy button and its phase', async () => {
    const res = await post(h, cookies.admin, '/console/t/acme/clusters/new', { name: 'edge-1', labels: 'env=prod, region=eu' });
    expect(res.status).toBe(201);
    const command = /<code id="join-command" class="command">([^<]+)<\/code>/.exec(res.html)?.[1];
    expect(command).toMatch(/^kubectl apply -f https:\/\/fleetplane\.test\/v1\/join\/\S+\/install\.yaml$/);
    expect(res.html).toContain('data-copy="join-command"');
    expect(res.html).toContain('>Copy</button>');
    expect(res.html).toMatch(/id="join-phase"[^>]*hx-trigger="sse:Cluster"/);
    const cluster = await h.call('GET', '/v1/tenants/acme/clusters/edge-1', { token: acme.tokens.viewer });
    expect(cluster.body.metadata.labels).toEqual({ env: 'prod', region: 'eu' });
    // the cluster's page shows no command: the token was shown once
    const again = await page(h, cookies.admin, '/console/t/acme/clusters/edge-1');
    expect(again.html).not.toContain(command!.split('/join/')[1]!.split('/')[0]);
  });

  it('names what is wrong beside the field and keeps what was typed', async () => {
    const taken = await post(h, cookies.admin, '/console/t/acme/clusters/new', { name: 'edge-1', labels: 'env=dev' });
    expect(taken.status).toBe(409);
    expect(taken.html).toMatch(/id="cluster-name-error"[^>]*>This name is taken\./);
    const badLabels = await post(h, cookies.admin, '/console/t/acme/clusters/new', { name: 'edge-2', labels: 'env=prod, oops' });
    expect(badLabels.status).toBe(400);
    expect(badLabels.html).toContain('“oops” is not key=value.');
    expect(badLabels.html).toContain('value="env=prod, oops"');
    const badName = await post(h, cookies.admin, '/console/t/acme/clusters/new', { name: 'Not_A_Name', labels: '' });
    expect(badName.status).toBe(400);
    expect(badName.html).toMatch(/id="cluster-name-error"/);
    expect((await h.call('GET', '/v1/tenants/acme/clusters/edge-2', { token: acme.tokens.viewer })).status).toBe(404);
  });

  it('shows a viewer no form, and refuses its forged POST with the API’s 403 on the page', async () => {
    const form = await page(h, cookies.viewer, '/console/t/acme/clusters/new');
    expect(form.html).not.toContain('Create and get command');
    const list = await page(h, cookies.viewer, '/console/t/acme/clusters');
    expect(list.html).not.toContain('Add cluster');
    const forged = await post(h, cookies.viewer, '/console/t/acme/clusters/new', { name: 'sneaky', labels: '' });
    expect(forged.status).toBe(403);
    expect(forged.html).toContain('role="alert"');
    expect((await h.call('GET', '/v1/tenants/acme/clusters/sneaky', { token: acme.tokens.viewer })).status).toBe(404);
  });
});

describe('a cluster’s page', () => {
  it('shows its phase, facts, apps and events, live', async () => {
    const { credential } = await joinCluster(h, 'acme', 'edge-9', { env: 'prod' });
    await heartbeat(h, credential);
    const res = await page(h, cookies.viewer, '/console/t/acme/clusters/edge-9');
    expect(res.status).toBe(200);
    expect(res.html).toContain('<h1>edge-9</h1>');
    expect(res.html).toMatch(/<span class="phase phase-Ready">Ready<\/span>/);
    expect(res.html).toContain('v1.31.2');
    expect(res.html).toContain('<caption>Apps</caption>');
    expect(res.html).toContain('ClusterPhaseChanged');
    expect(res.html).toMatch(/id="cluster-status"[^>]*hx-trigger="sse:Cluster"/);
    // the fragment alone, as htmx asks for it
    const fragment = await page(h, cookies.viewer, '/console/t/acme/clusters/edge-9', { headers: { 'hx-request': 'true', 'hx-target': 'cluster-status' } });
    expect(fragment.html.startsWith('<section id="cluster-status"')).toBe(true);
    expect(res.html).not.toContain('>Revoke<');
  });

  it('revokes and deletes only after a confirmation, for admins; a viewer’s forged POST is refused', async () => {
    const view = await page(h, cookies.admin, '/console/t/acme/clusters/edge-9');
    expect(view.html).toContain('>Revoke</a>');
    expect(view.html).toContain('>Delete</a>');
    const confirm = await page(h, cookies.admin, '/console/t/acme/clusters/edge-9?confirm=revoke');
    expect(confirm.html).toContain('>Confirm revoke</button>');
    const forged = await post(h, cookies.viewer, '/console/t/acme/clusters/edge-9/revoke', {});
    expect(forged.status).toBe(403);
    expect(forged.html).toContain('role="alert"');
    const revoked = await post(h, cookies.admin, '/console/t/acme/clusters/edge-9/revoke', {});
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('location')).toBe('/console/t/acme/clusters/edge-9?done=revoked');
    const deleted = await post(h, cookies.admin, '/console/t/acme/clusters/edge-9/delete', {});
    expect(deleted.status).toBe(303);
    expect((await h.call('GET', '/v1/tenants/acme/clusters/edge-9', { token: acme.tokens.viewer })).status).toBe(404);
  });

  it('is the same 404 for another tenant’s cluster and for none', async () => {
    const theirs = await page(h, cookies.admin, '/console/t/acme/clusters/theirs');
    const none = await page(h, cookies.admin, '/console/t/acme/clusters/nothing-here');
    expect(theirs.status).toBe(404);
    expect(theirs.html).toBe(none.html);
  });
});

describe('events and namespaces', () => {
  it('lists events newest first, filtered by kind and object in the URL', async () => {
    const all = await page(h, cookies.viewer, '/console/t/acme/events');
    expect(all.html).toContain('<caption>Events</caption>');
    expect(all.html).toContain('<td>edge-9</td>');
    expect(all.html).toContain('ClusterPhaseChanged');
    const filtered = await page(h, cookies.viewer, '/console/t/acme/events?kind=App&object=edge-9');
    expect(filtered.html).not.toContain('<td>edge-9</td>');
    expect(filtered.html).toContain('No events.');
    expect(filtered.html).toContain('<option value="App" selected="">App</option>');
  });

  it('lists federated namespaces with placement and quota', async () => {
    const put = await h.call('PUT', '/v1/tenants/acme/namespaces/shop', {
      token: acme.tokens.operator, body: { spec: { placement: { selector: { matchLabels: { env: 'prod' } } }, quota: { cpu: '2', pods: 10 } } },
    });
    expect(put.status).toBe(201);
    const res = await page(h, cookies.viewer, '/console/t/acme/namespaces');
    expect(res.html).toContain('<caption>Namespaces</caption>');
    expect(res.html).toContain('selector env=prod');
    expect(res.html).toContain('cpu 2, 10 pods');
  });
});
