import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { statusWriterName } from '../../worker/reports/durable-reports.js';
import type { StatusWriter } from '../../worker/reports/status-writer-do.js';
import type { DurableObjectNamespace } from '../../worker/push/workers-types.js';
import { buildWorkerApp } from '../../worker/worker-app.js';
import { call, callApp, joinCluster } from './call.js';
import { unreachableObjects } from '../support/fake-objects.js';

/**
 * Status reports on Workers go through the cluster's StatusWriter Durable
 * Object, which batches them on connections it keeps; what they move shows at
 * the API, and the webhook deliveries the object's batch enqueued go out after
 * the request, as the isolate's own write would have them; a revoked
 * credential is refused there as anywhere; an object that fails does not fail
 * the report: the isolate writes it itself.
 */

const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);
const receiverUrl = String(env.WEBHOOK_RECEIVER_URL);
const writers = env.STATUS_WRITER as DurableObjectNamespace;
const tenant = `rp-${Date.now().toString(36)}`;
const base = `/v1/tenants/${tenant}`;
const hookPath = `/${tenant}`;
const VERSION = { manifests: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app.name}\ndata:\n  a: "1"\n' };
const resource = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'web' };

const writerOf = (uid: string) => writers.get(writers.idFromName(statusWriterName(uid)));
const rowsWritten = (uid: string) => runInDurableObject<StatusWriter, number>(writerOf(uid) as never, (w) => w.written.rows);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const report = (credential: string, seq: number, health: string) => call('PUT', '/v1/connector/status', credential,
  { seq, revision: 1, apps: [{ name: 'web', revision: 1, resources: [{ ...resource, health }] }] });

/** The app's phase changes the receiver got, once they hold `change` or 5 s have passed (the first attempt runs after the answer). */
async function phaseChangesUntil(change: string, ms = 5_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const all = (await (await fetch(`${receiverUrl}/__received`)).json()) as { path: string; body: string }[];
    const mine = all.filter((r) => r.path === hookPath).map((r) => JSON.parse(r.body) as { type: string; data: { message: string } })
      .filter((e) => e.type === 'AppPhaseChanged').map((e) => e.data.message);
    if (mine.includes(change) || Date.now() > deadline) return mine;
    await sleep(50);
  }
}

beforeAll(async () => {
  expect((await call('PUT', base, adminToken, { spec: { displayName: 'Reports' } })).status).toBe(201);
  expect((await call('PUT', `${base}/webhooks/ops`, adminToken, { spec: { url: `${receiverUrl}${hookPath}` } })).status).toBe(201);
  expect((await call('PUT', `${base}/templates/web`, adminToken, { spec: {} })).status).toBe(201);
  expect((await call('PUT', `${base}/templates/web/versions/1.0.0`, adminToken, { spec: VERSION })).status).toBe(201);
  const app = await call('PUT', `${base}/apps/web`, adminToken, {
    spec: { template: { name: 'web', version: '1.0.0' }, namespace: 'web', placement: { selector: { matchLabels: { web: 'yes' } } } },
  });
  expect(app.status, app.text).toBe(201);
});

describe('status reports in StatusWriter Durable Objects', () => {
  it('stores each report in the cluster’s object; the app turns Ready, and its webhook goes out after the request', async () => {
    const c = await joinCluster(tenant, 'edge-1', { web: 'yes' });
    const before = await rowsWritten(c.uid);
    const stored = await report(c.credential, 2, 'Healthy');
    expect(stored.status, stored.text).toBe(204);
    expect(await rowsWritten(c.uid)).toBe(before + 1);
    const app = await call('GET', `${base}/apps/web`, adminToken);
    expect(app.json.status.clusters.find((x: { name: string }) => x.name === 'edge-1')).toMatchObject({ phase: 'Ready', revision: 1 });
    // only this report moves the app from Progressing (placed, unreported) to Ready: its event was enqueued in the
    // object's batch and sent after this request (waitUntil), with no cron run here to send it
    expect(await phaseChangesUntil('Progressing → Ready')).toContain('Progressing → Ready');

    // an older report changes nothing, through the object too
    expect((await report(c.credential, 1, 'Degraded')).status).toBe(204);
    expect((await call('GET', `${base}/apps/web`, adminToken)).json.status.phase).toBe('Ready');
  });

  it('refuses a revoked credential at once, through the object', async () => {
    const c = await joinCluster(tenant, 'edge-2', { web: 'yes' });
    expect((await report(c.credential, 1, 'Healthy')).status).toBe(204);
    const revoked = await call('POST', `${c.path}/revoke`, adminToken, {});
    expect(revoked.status, revoked.text).toBeLessThan(300);
    const before = await runInDurableObject<StatusWriter, number>(writerOf(c.uid) as never, (w) => w.written.batches);
    const refused = await report(c.credential, 2, 'Degraded');
    expect(refused.status, refused.text).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // the credential still verifies as a token: the object's statement is what found its generation gone
    expect(await runInDurableObject<StatusWriter, number>(writerOf(c.uid) as never, (w) => w.written.batches)).toBe(before + 1);
  });

  it('stores the report in the isolate when the object fails, logs that once, and leaves the object alone for a while', async () => {
    const c = await joinCluster(tenant, 'edge-3', { web: 'yes' });
    const { ns: broken, tries } = unreachableObjects();
    const app = await buildWorkerApp({ ...env, STATUS_WRITER: broken });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const before = await rowsWritten(c.uid);
      for (const [seq, health] of [[1, 'Healthy'], [2, 'Degraded']] as const) {
        const res = await callApp(app, 'PUT', '/v1/connector/status', c.credential,
          { seq, revision: 1, apps: [{ name: 'web', revision: 1, resources: [{ ...resource, health }] }] });
        expect(res.status, res.text).toBe(204);
      }
      expect(tries.asked).toBe(1);
      expect(errors.mock.calls.filter((a) => String(a[0]).includes('StatusWriter'))).toHaveLength(1);
      expect(await rowsWritten(c.uid)).toBe(before);
      const shown = await call('GET', `${base}/apps/web`, adminToken);
      expect(shown.json.status.clusters.find((x: { name: string }) => x.name === 'edge-3')).toMatchObject({ phase: 'Failed' });
    } finally {
      errors.mockRestore();
    }
  });
});
