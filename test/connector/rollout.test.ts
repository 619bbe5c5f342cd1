import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRings, until, type ControlPlaneUnderTest } from './support.js';

/**
 * Issue 14's "Must show": a progressive rollout with real connectors, each
 * on its own API server. Wave by wave; a canary whose image never turns
 * ready fails at the progress deadline and pauses the rollout while the
 * others keep the old image; resume; rollback starts again at wave 1.
 */
const GOOD = 'nginx:1.27';
const BROKEN = 'nginx:no-such-tag';
const RINGS = { k1: 'canary', k2: 'early', k3: undefined } as const;
type Name = keyof typeof RINGS;
let cp: ControlPlaneUnderTest;
let kubes: Awaited<ReturnType<typeof startRings<Name>>>['kubes'];
let rings: Awaited<ReturnType<typeof startRings<Name>>> | undefined;

beforeAll(async () => {
  rings = await startRings<Name>(RINGS, { readyDelayMs: 300, stuckImages: [BROKEN] });
  ({ cp, kubes } = rings);
}, 60_000);
afterAll(() => rings?.close());

/** 2 s, where the canary must fail at the deadline; elsewhere long, so that a cluster reporting late on a busy machine does not */
const spec = (image: string, progressDeadlineSeconds = 2) => ({
  spec: {
    template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'shop', values: { image },
    placement: { selector: { matchLabels: { env: 'test' } } },
    rollout: { strategy: 'Progressive', waves: [{ matchLabels: { ring: 'canary' } }, { matchLabels: { ring: 'early' } }], pauseOnFailure: true, progressDeadlineSeconds },
  },
});
/** The image each cluster runs now (undefined: no Deployment yet). */
const images = () => Object.fromEntries((Object.keys(RINGS) as Name[]).map((n) => [
  n, kubes[n].server.store.get('apps/v1', 'Deployment', 'shop', 'shop')?.spec.template.spec.containers[0].image,
]));
const status = async () => (await cp.api('GET', '/v1/tenants/acme/apps/shop')).body.status;
const reasons = async () =>
  (await cp.api('GET', '/v1/tenants/acme/events?kind=App&object=shop&limit=100')).body.items.map((e: { reason: string; message: string }) => `${e.reason}: ${e.message}`).reverse();

describe('a progressive rollout with real connectors', () => {
  it('proceeds wave by wave: the next wave gets the app only once the one before is Ready on its cluster', { timeout: 60_000 }, async () => {
    expect((await cp.api('PUT', '/v1/tenants/acme/apps/shop', spec(GOOD, 60))).status).toBe(201);
    await until('the canary runs the app', () => images().k1 === GOOD);
    // its pods take 300 ms to be ready: wave 2 cannot have started
    expect(images()).toEqual({ k1: GOOD, k2: undefined, k3: undefined });
    await until('wave 2 runs the app', () => images().k2 === GOOD);
    expect(images().k3).toBeUndefined();
    await until('the rollout completes', async () => (await status()).rollout.state === 'Complete');
    expect(images()).toEqual({ k1: GOOD, k2: GOOD, k3: GOOD });
    await until('the app is Ready', async () => (await status()).phase === 'Ready');
    expect((await reasons()).filter((r: string) => r.startsWith('Rollout'))).toEqual([
      'RolloutWaveStarted: generation 1: wave 1 of 3 started: k1',
      'RolloutWaveStarted: wave 2 of 3 started: k2',
      'RolloutWaveStarted: wave 3 of 3 started: k3',
      'RolloutCompleted: rollout complete: 3 clusters in 3 waves',
    ]);
  });

  it('a canary that never turns ready fails at the progress deadline and pauses the rollout; the others keep the old image', { timeout: 60_000 }, async () => {
    expect((await cp.api('PUT', '/v1/tenants/acme/apps/shop', spec(BROKEN))).status).toBe(200);
    await until('the canary runs the new image', () => images().k1 === BROKEN);
    const paused = await until('the rollout pauses', async () => { const s = await status(); return s.phase === 'Paused' && s; });
    expect(paused.rollout).toMatchObject({ generation: 2, wave: 1, state: 'Paused', message: 'wave 1 paused: k1 failed: not Ready within the progress deadline (2 s)' });
    expect(paused.clusters.find((c: { name: string }) => c.name === 'k1')).toMatchObject({ phase: 'Failed' });
    expect(images()).toEqual({ k1: BROKEN, k2: GOOD, k3: GOOD });
    await new Promise((r) => setTimeout(r, 500)); // paused means paused: nothing else moves
    expect(images()).toEqual({ k1: BROKEN, k2: GOOD, k3: GOOD });

    const resumed = await cp.api('POST', '/v1/tenants/acme/apps/shop/resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body.status.rollout).toMatchObject({ wave: 2, state: 'Progressing' });
    await until('wave 2 runs the new image', () => images().k2 === BROKEN);
    expect(images().k3).toBe(GOOD);
  });

  it('a rollback starts again at wave 1 and brings every cluster back, wave by wave', { timeout: 60_000 }, async () => {
    const r = await cp.api('POST', '/v1/tenants/acme/apps/shop/rollback', { revision: 1 });
    expect(r.status).toBe(200);
    expect(r.body.status.rollout).toMatchObject({ generation: 3, wave: 1, state: 'Progressing' });
    await until('the canary is back on the good image', () => images().k1 === GOOD);
    expect(images().k2).toBe(BROKEN); // wave 2 waits for the canary's pods
    await until('the rollout completes', async () => (await status()).rollout.state === 'Complete', 20_000);
    expect(images()).toEqual({ k1: GOOD, k2: GOOD, k3: GOOD });
    await until('the app is Ready', async () => (await status()).phase === 'Ready');
    expect((await reasons()).filter((x: string) => x.startsWith('RolloutWaveStarted: generation'))).toHaveLength(3);
  });
});
