import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSpec, desiredOf, publishWebTemplate, putApp } from '../support/apps.js';
import { expectWaiting, joinCluster } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

let h: Harness;
let t: SeededTenant;
let prod: Awaited<ReturnType<typeof joinCluster>>;
let dev: Awaited<ReturnType<typeof joinCluster>>;
beforeAll(async () => {
  ({ h, tenant: t } = await harnessWithTenant('acme'));
  prod = await joinCluster(h, 'acme', 'prod-1', { env: 'prod' });
  dev = await joinCluster(h, 'acme', 'dev-1', { env: 'dev' });
  await publishWebTemplate(h, 'acme', t.tokens.operator);
});
afterAll(() => h.close());

const watch = (credential: string, revision: number, timeoutSeconds = 3) =>
  h.call('GET', `/v1/connector/watch?revision=${revision}&timeoutSeconds=${timeoutSeconds}`, { token: credential });

describe('push: an app change wakes only the connectors of its clusters', () => {
  it('the placed cluster’s watch wakes with the new revision; the other times out unchanged', async () => {
    const p0 = (await desiredOf(h, prod.credential)).revision;
    const d0 = (await desiredOf(h, dev.credential)).revision;
    const started = performance.now();
    const prodWatch = watch(prod.credential, p0);
    const devWatch = watch(dev.credential, d0, 2);
    await new Promise((r) => setTimeout(r, 200));
    expectWaiting(h, 2);
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec())).status).toBe(201);
    const woke = await prodWatch;
    expect(woke.body.revision).toBeGreaterThan(p0);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(woke.body.revision).toBe((await desiredOf(h, prod.credential)).revision);
    const idle = await devWatch;
    expect(idle.body.revision).toBe(d0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('a change of an app placed elsewhere does not wake this connector', async () => {
    const d0 = (await desiredOf(h, dev.credential)).revision;
    const devWatch = watch(dev.credential, d0, 2);
    await new Promise((r) => setTimeout(r, 100));
    expect((await putApp(h, 'acme', t.tokens.operator, 'shop', appSpec({ values: { replicas: 9 } }))).status).toBe(200);
    expect((await devWatch).body.revision).toBe(d0);
  });
});
