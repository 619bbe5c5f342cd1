import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, joinCluster } from '../support/fleet.js';
import { seedTenant, startLocalHarness, type LocalHarness, type SeededTenant } from '../support/harness.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';
import { createWebhook, deliveriesOf, outboxSize } from './support.js';

/**
 * Deliveries end to end: events made by real connector traffic, a real
 * receiver on 127.0.0.1 (hence FLEETPLANE_WEBHOOK_ALLOW_PRIVATE=true) reached
 * through a name, every delivery verified with `standardwebhooks`. Retries
 * come by moving the test clock; only the "no answer" attempt waits, 0.3 s.
 */

let h: LocalHarness;
let acme: SeededTenant;
let receiver: Receiver;
const TIMEOUT_MS = 300;
const url = (path: string) => `http://hooks.acme.test:${receiver.port}${path}`;
const deliveries = (name: string) => deliveriesOf(h.call, acme.tokens.viewer, 'acme', name);
/** What the sender does once the clock has moved on by `ms`. */
async function after(ms: number) {
  h.clock.advance(ms);
  h.deliveries.wake();
  await h.deliveries.settled();
}

beforeAll(async () => {
  h = await startLocalHarness({ webhooks: { allowPrivate: true, timeoutMs: TIMEOUT_MS } });
  acme = await seedTenant(h, 'acme');
  receiver = await startReceiver();
  h.hosts.set('hooks.acme.test', ['127.0.0.1']);
});
afterAll(async () => {
  await receiver.close();
  await h.close();
});

describe('webhook deliveries', () => {
  it('POSTs each event of the tenant, signed, as GET /events shows it, once', async () => {
    const hook = await createWebhook(h.call, acme.tokens.admin, 'acme', 'all', { url: url('/all') }, receiver);
    await createWebhook(h.call, acme.tokens.admin, 'acme', 'phases', { url: url('/phases'), events: ['ClusterPhaseChanged'], secret: hook.spec.secret });
    const edge = await joinCluster(h, 'acme', 'edge');
    await h.deliveries.settled();
    await heartbeat(h, edge.credential);
    await h.deliveries.settled();

    const got = receiver.received;
    expect(receiver.failures).toEqual([]);
    expect(got.map((r) => `${r.path} ${r.payload.type}`)).toEqual(['/all Registered', '/all ClusterPhaseChanged', '/phases ClusterPhaseChanged']);
    const events = (await h.call('GET', '/v1/tenants/acme/events', { token: acme.tokens.viewer })).body.items;
    expect(got[0]!.payload).toEqual({ type: 'Registered', timestamp: events[1].at, data: events[1] });
    expect(got[1]!.payload).toEqual({ type: 'ClusterPhaseChanged', timestamp: events[0].at, data: events[0] });
    expect(got[2]!.body).toBe(got[1]!.body);
    // one message per event and webhook, each its own id
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(3);
    for (const r of got) {
      expect(r.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(r.headers['content-type']).toBe('application/json');
      // sent to the address checked for the name, the name kept in Host
      expect(r.headers.host).toBe(`hooks.acme.test:${receiver.port}`);
    }

    const status = await deliveries('all');
    expect(status).toEqual([
      { id: got[1]!.headers['webhook-id'], type: 'ClusterPhaseChanged', attempt: 1, statusCode: 204, at: expect.any(String) },
      { id: got[0]!.headers['webhook-id'], type: 'Registered', attempt: 1, statusCode: 204, at: expect.any(String) },
    ]);
    expect(await outboxSize(h.db)).toBe(0);
    await after(60_000);
    expect(receiver.received).toHaveLength(3);
  });

  it('retries a 500 and an answer that does not come in time, with the same webhook-id, after 1 s and 5 s', async () => {
    await h.call('DELETE', '/v1/tenants/acme/webhooks/phases', { token: acme.tokens.admin });
    const from = receiver.received.length;
    receiver.answer({ status: 500, body: '{"oops":true}' }, 'hang');
    await joinCluster(h, 'acme', 'retried');
    await h.deliveries.settled();
    await after(999);
    expect(receiver.received.length - from).toBe(1); // not due yet
    await after(1);
    expect(receiver.received.length - from).toBe(2);
    await after(4_999);
    expect(receiver.received.length - from).toBe(2);
    await after(1);
    const tries = receiver.received.slice(from);
    expect(tries).toHaveLength(3);
    expect(receiver.failures).toEqual([]);
    expect(new Set(tries.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(tries.map((r) => r.body)).size).toBe(1);
    // signed anew for each attempt
    expect(new Set(tries.map((r) => r.headers['webhook-timestamp'])).size).toBe(3);

    const id = tries[0]!.headers['webhook-id'];
    expect((await deliveries('all')).slice(0, 3)).toEqual([
      { id, type: 'Registered', attempt: 3, statusCode: 204, at: expect.any(String) },
      { id, type: 'Registered', attempt: 2, statusCode: null, error: 'no answer within 0.3 s', at: expect.any(String) },
      { id, type: 'Registered', attempt: 1, statusCode: 500, error: 'answered 500: {"oops":true}', at: expect.any(String) },
    ]);
    expect(await outboxSize(h.db)).toBe(0);
  });

  it('reads at most 1 KiB of an answer, and takes a redirect as a failure without following it', async () => {
    const from = receiver.received.length;
    receiver.answer('endless', 302);
    await joinCluster(h, 'acme', 'capped');
    await h.deliveries.settled();
    await after(1_000);
    expect(receiver.received.length - from).toBe(2);
    const [redirect, endless] = await deliveries('all');
    expect(endless).toMatchObject({ attempt: 1, statusCode: 500, error: `answered 500: ${'x'.repeat(1024)}` });
    expect(redirect).toMatchObject({ attempt: 2, statusCode: 302, error: 'answered 302 (redirects are not followed)' });
    await after(5_000);
    expect(receiver.received.length - from).toBe(3);
  });

  it('carries only the owning tenant’s events; another tenant’s webhook is 404', async () => {
    const globex = await seedTenant(h, 'globex');
    const theirs = await startReceiver();
    h.hosts.set('hooks.globex.test', ['127.0.0.1']);
    try {
      const spec = { url: `http://hooks.globex.test:${theirs.port}/globex` };
      await createWebhook(h.call, globex.tokens.admin, 'globex', 'mine', spec, theirs);
      expect((await h.call('GET', '/v1/tenants/acme/webhooks/mine', { token: acme.tokens.owner })).status).toBe(404);
      expect((await h.call('GET', '/v1/tenants/globex/webhooks/all', { token: globex.tokens.owner })).status).toBe(404);
      const ours = receiver.received.length;
      await joinCluster(h, 'acme', 'ours');
      await joinCluster(h, 'globex', 'theirs');
      await h.deliveries.settled();
      expect(theirs.received.map((r) => r.payload.data.object)).toEqual(['theirs']);
      expect(theirs.failures).toEqual([]);
      expect(receiver.received.slice(ours).map((r) => r.payload.data.object)).toEqual(['ours']);
    } finally {
      await theirs.close();
    }
  });

  // last: its clock moves 12 minutes ahead, past what receivers accept for a signature's timestamp
  it('gives up after the first attempt and 5 retries, and says so', async () => {
    const from = receiver.received.length;
    receiver.answer(503, 503, 503, 503, 503, 503);
    await joinCluster(h, 'acme', 'doomed');
    await h.deliveries.settled();
    for (const wait of [1_000, 5_000, 30_000, 120_000, 600_000]) await after(wait);
    expect(receiver.received.length - from).toBe(6);
    const [last] = await deliveries('all');
    expect(last).toMatchObject({ attempt: 6, statusCode: 503, error: 'answered 503; given up after 6 attempts' });
    expect(await outboxSize(h.db)).toBe(0);
    await after(3_600_000);
    expect(receiver.received.length - from).toBe(6);
  });
});
