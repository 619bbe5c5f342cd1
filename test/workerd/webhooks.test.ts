import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../worker/index.js';
import { call } from './call.js';

/**
 * Webhooks on Workers, in workerd: the first attempt right after the request
 * that recorded the event (waitUntil), the retry from the cron trigger, both
 * to a receiver on the machine (test/support/workerd-setup.ts), verified here
 * with `standardwebhooks`, which runs in workerd too.
 */

const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);
const receiverUrl = String(env.WEBHOOK_RECEIVER_URL);

interface Received { path: string; headers: Record<string, string>; body: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the receiver got on `path`, once there are `n` (polling; the first attempt runs after the answer). */
async function receivedOn(path: string, n: number, ms = 5_000): Promise<Received[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const all = (await (await fetch(`${receiverUrl}/__received`)).json()) as Received[];
    const mine = all.filter((r) => r.path === path);
    if (mine.length >= n || Date.now() > deadline) return mine;
    await sleep(50);
  }
}

describe('webhooks in workerd', () => {
  it('sends after the request that recorded the event, and the cron run sends the retry with the same webhook-id', async () => {
    const t = `wwh-${Date.now().toString(36)}`;
    const path = `/${t}`;
    expect((await call('PUT', `/v1/tenants/${t}`, adminToken, { spec: { displayName: 'Webhooks' } })).status).toBe(201);
    // IP literals are what Workers can check: a private one passes only because this env allows private addresses
    const hook = await call('PUT', `/v1/tenants/${t}/webhooks/ops`, adminToken, { spec: { url: `${receiverUrl}${path}` } });
    expect(hook.status).toBe(201);
    const secret = String(hook.json.spec.secret);
    const meta = await call('PUT', `/v1/tenants/${t}/webhooks/meta`, adminToken, { spec: { url: 'http://169.254.169.254/latest' } });
    expect(meta.status).toBe(400);

    await fetch(`${receiverUrl}/__answer`, { method: 'POST', body: JSON.stringify([500]) });
    expect((await call('PUT', `/v1/tenants/${t}/clusters/edge`, adminToken, { spec: {} })).status).toBe(201);
    const jt = await call('POST', `/v1/tenants/${t}/clusters/edge/join-tokens`, adminToken, {});
    const reg = await call('POST', '/v1/connector/register', undefined, {
      joinToken: jt.json.token, cluster: { kubernetesVersion: 'v1.31.2', nodeCount: 1, connectorVersion: '0.1.0' },
    });
    expect(reg.status).toBe(200);
    const first = await receivedOn(path, 1);
    expect(first).toHaveLength(1);

    const log = vi.spyOn(console, 'log');
    try {
      const ctx = createExecutionContext();
      // a cron run two seconds on: the retry (due after 1 s) goes out
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + 2_000, cron: '* * * * *' }), env, ctx);
      await waitOnExecutionContext(ctx);
      const line = log.mock.calls.map((c) => String(c[0])).find((l) => l.includes('"scheduled"'));
      expect(JSON.parse(line!)).toMatchObject({ webhooks: { delivered: expect.any(Number), failed: 0 } });
    } finally {
      log.mockRestore();
    }
    const both = await receivedOn(path, 2);
    expect(both).toHaveLength(2);
    const payloads = both.map((r) => new Webhook(secret).verify(r.body, r.headers) as { type: string; data: { object: string } });
    expect(payloads.map((p) => [p.type, p.data.object])).toEqual([['Registered', 'edge'], ['Registered', 'edge']]);
    expect(both[1]!.headers['webhook-id']).toBe(both[0]!.headers['webhook-id']);

    const status = await call('GET', `/v1/tenants/${t}/webhooks/ops`, adminToken);
    expect(status.json.spec).toEqual({ url: `${receiverUrl}${path}` });
    expect(status.json.status.deliveries.map((d: { attempt: number; statusCode: number }) => [d.attempt, d.statusCode])).toEqual([[2, 204], [1, 500]]);
  });
});
