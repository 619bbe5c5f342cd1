import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRings, until, type ControlPlaneUnderTest } from './support.js';

/**
 * In-cluster canaries (issue 17): the catalog's `canary-web` (an Argo Rollout)
 * on two clusters that run the Argo Rollouts controller, rolled out
 * progressively. A Rollout paused for promotion is Suspended: its cluster is
 * Suspended for the app, the summary counts it, and its wave does not finish
 * until the Rollout is promoted there.
 */
const CLUSTERS = { k1: 'canary', k2: undefined } as const;
type Name = keyof typeof CLUSTERS;
let cp: ControlPlaneUnderTest;
let kubes: Awaited<ReturnType<typeof startRings<Name>>>['kubes'];
let rings: Awaited<ReturnType<typeof startRings<Name>>> | undefined;

beforeAll(async () => {
  rings = await startRings<Name>(CLUSTERS, { readyDelayMs: 100 });
  ({ cp, kubes } = rings);
}, 60_000);
afterAll(() => rings?.close());

/**
 * The second version's deadline is short, as a Suspended cluster must not count as Failed once
 * it passes, yet longer than the cluster takes to report Suspended on a busy machine: a Progressing
 * cluster past it fails the wave. With 1 s, the first version's wave failed under load (its report
 * came later), and the rollout paused there.
 */
const DEADLINE_SECONDS = 4;
const spec = (image: string, progressDeadlineSeconds: number) => ({
  spec: {
    template: { name: 'canary-web', version: '1.0.0', catalog: true }, namespace: 'shop', values: { image, replicas: 4 },
    placement: { selector: { matchLabels: { env: 'test' } } },
    rollout: { strategy: 'Progressive', waves: [{ matchLabels: { ring: 'canary' } }], pauseOnFailure: true, progressDeadlineSeconds },
  },
});
const images = () => Object.fromEntries((Object.keys(CLUSTERS) as Name[]).map((n) => [
  n, kubes[n].server.store.get('argoproj.io/v1alpha1', 'Rollout', 'shop', 'shop')?.spec.template.spec.containers[0].image,
]));
const status = async () => (await cp.api('GET', '/v1/tenants/acme/apps/shop')).body.status;
const phases = async () => Object.fromEntries(((await status()).clusters as { name: string; phase: string }[]).map((c) => [c.name, c.phase]));

describe('canary-web: Argo Rollouts canaries, Suspended while they wait for a promotion', () => {
  it('a first version goes out to every wave; a new one pauses at its canary step, holds its wave, and goes on once promoted', { timeout: 60_000 }, async () => {
    expect((await cp.api('PUT', '/v1/tenants/acme/apps/shop', spec('web:1', 60))).status).toBe(201);
    await until('Ready everywhere', async () => (await status()).phase === 'Ready', 20_000);

    expect((await cp.api('PUT', '/v1/tenants/acme/apps/shop', spec('web:2', DEADLINE_SECONDS))).status).toBe(200);
    await until('the canary cluster runs web:2', () => images().k1 === 'web:2');
    const held = await until('k1 Suspended', async () => { const s = await status(); return s.clusters.find((c: { name: string }) => c.name === 'k1')?.phase === 'Suspended' && s; }, 15_000);
    expect(held.summary).toMatchObject({ clusters: 2, suspended: 1, ready: 0, failed: 0 });
    expect(held.phase).toBe('Progressing');
    expect(held.clusters.find((c: { name: string }) => c.name === 'k1').resources).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'Rollout', name: 'shop', health: 'Suspended', message: 'CanaryPauseStep' }),
    ]));
    // past the progress deadline: still Suspended (waiting on purpose is not failing), and wave 2 not started
    await new Promise((r) => setTimeout(r, DEADLINE_SECONDS * 1000 + 800));
    expect(await phases()).toEqual({ k1: 'Suspended', k2: 'Pending' });
    expect(images()).toEqual({ k1: 'web:2', k2: 'web:1' });
    expect((await status()).rollout).toMatchObject({ wave: 1, state: 'Progressing' });

    kubes.k1.server.controller.promote('shop', 'shop');
    await until('k1 Ready, wave 2 released', () => images().k2 === 'web:2', 15_000);
    await until('k2 Suspended in turn', async () => (await phases()).k2 === 'Suspended', 15_000);
    kubes.k2.server.controller.promote('shop', 'shop');
    const done = await until('Ready everywhere at generation 2', async () => { const s = await status(); return s.phase === 'Ready' && s.observedGeneration === 2 && s; }, 15_000);
    expect(done.summary).toMatchObject({ clusters: 2, ready: 2, suspended: 0 });
  });
});
