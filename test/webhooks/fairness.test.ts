import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinCluster } from '../support/fleet.js';
import { seedTenant, startLocalHarness, type LocalHarness } from '../support/harness.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';
import { createWebhook } from './support.js';

/**
 * One tenant's receiver hangs (for the whole 10 s an attempt may take) with
 * more deliveries waiting than a tenant may have in flight; another tenant's
 * delivery goes out meanwhile, at once.
 */

let h: LocalHarness;
let slow: Receiver;
let fast: Receiver;
beforeAll(async () => {
  h = await startLocalHarness({ webhooks: { allowPrivate: true } });
  [slow, fast] = await Promise.all([startReceiver(), startReceiver()]);
  h.hosts.set('hooks.test', ['127.0.0.1']);
});
afterAll(async () => {
  // the hanging attempts end when their connections do
  await Promise.all([slow.close(), fast.close()]);
  await h.close();
});

describe('webhook fairness between tenants', () => {
  it('a tenant whose receiver hangs does not delay another tenant’s delivery', async () => {
    const tarpit = await seedTenant(h, 'tarpit');
    const quick = await seedTenant(h, 'quick');
    const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    for (let i = 0; i < 12; i++) {
      slow.answer('hang');
      await createWebhook(h.call, tarpit.tokens.admin, 'tarpit', `hook-${i}`, { url: `http://hooks.test:${slow.port}/${i}`, secret: SECRET });
    }
    await createWebhook(h.call, quick.tokens.admin, 'quick', 'hook', { url: `http://hooks.test:${fast.port}/quick` }, fast);

    await joinCluster(h, 'tarpit', 'edge'); // 12 deliveries, all to the receiver that never answers
    await slow.count(10);
    const started = performance.now();
    await joinCluster(h, 'quick', 'edge');
    await fast.count(1);
    const ms = performance.now() - started;

    expect(fast.received[0]!.payload).toMatchObject({ type: 'Registered', data: { object: 'edge' } });
    expect(fast.failures).toEqual([]);
    // still hanging, and no more of that tenant's than it may have in flight
    expect(slow.received).toHaveLength(10);
    // the join itself is a few requests; the delivery after it is immediate (10 s would be a wait for the tarpit)
    expect(ms).toBeLessThan(2_000);
  });
});
