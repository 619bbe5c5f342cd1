import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinCluster } from '../support/fleet.js';
import { seedTenant, startLocalHarness, type LocalHarness, type SeededTenant } from '../support/harness.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';
import { createWebhook, deliveriesOf, outboxSize } from './support.js';

/**
 * DNS rebinding: a name that resolved to a public address at PUT and to a
 * private or link-local one later. The check made before every attempt
 * refuses it, and nothing reaches the address (a receiver listens there).
 */

let h: LocalHarness;
let acme: SeededTenant;
let receiver: Receiver;
beforeAll(async () => {
  h = await startLocalHarness(); // FLEETPLANE_WEBHOOK_ALLOW_PRIVATE unset
  acme = await seedTenant(h, 'acme');
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await h.close();
});

describe('webhook addresses at delivery', () => {
  it.each([
    ['127.0.0.1', 'rebind-loop', /resolves to 127\.0\.0\.1, which is a loopback or private address/],
    ['169.254.169.254', 'rebind-meta', /resolves to 169\.254\.169\.254, which is link-local/],
  ])('a name that now resolves to %s is refused before anything is sent, as a failed attempt', async (address, name, reason) => {
    const host = `${name}.acme.test`;
    h.hosts.set(host, ['93.184.215.14']);
    await createWebhook(h.call, acme.tokens.admin, 'acme', name, { url: `http://${host}:${receiver.port}/hook` });
    h.hosts.set(host, [address]);
    await joinCluster(h, 'acme', `${name}-cluster`);
    await h.deliveries.settled();
    const [attempt] = await deliveriesOf(h.call, acme.tokens.viewer, 'acme', name);
    expect(attempt).toMatchObject({ attempt: 1, statusCode: null, error: expect.stringMatching(reason) });
    expect(attempt!.error).toMatch(/^not sent: /);
    expect(receiver.received).toEqual([]);
    await h.call('DELETE', `/v1/tenants/acme/webhooks/${name}`, { token: acme.tokens.admin });
    expect(await outboxSize(h.db)).toBe(0);
  });

  it('a name that stops resolving is a failed attempt too, retried like any other', async () => {
    h.hosts.set('gone.acme.test', ['93.184.215.14']);
    await createWebhook(h.call, acme.tokens.admin, 'acme', 'gone', { url: 'https://gone.acme.test/hook' });
    h.hosts.delete('gone.acme.test');
    await joinCluster(h, 'acme', 'gone-cluster');
    await h.deliveries.settled();
    const [attempt] = await deliveriesOf(h.call, acme.tokens.viewer, 'acme', 'gone');
    expect(attempt).toMatchObject({ attempt: 1, statusCode: null, error: 'not sent: gone.acme.test does not resolve: getaddrinfo ENOTFOUND gone.acme.test' });
    expect(await outboxSize(h.db)).toBe(1);
  });
});
