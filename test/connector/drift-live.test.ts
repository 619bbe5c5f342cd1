import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftWatch } from '../../connectors/drift.js';
import { startCluster, until } from './support.js';

/**
 * What the syncer relies on when it leaves an object's health to the drift
 * watch instead of reading it again: `tracks` holds only while the kind's
 * watch has listed and has not failed since.
 */
let c: Awaited<ReturnType<typeof startCluster>>;
let watch: DriftWatch;
const failed: string[] = [];
beforeAll(async () => {
  c = await startCluster();
  watch = new DriftWatch(c.kube, 'acme', { desired: () => undefined, observed: () => {}, drifted: () => {} }, (level, msg, fields) => {
    if (msg === 'drift watch failed') failed.push(String(fields?.kind));
  });
});
afterAll(async () => {
  watch.close();
  await c.close();
});

describe('drift watch: which kinds it holds', () => {
  it('a kind it watches holds once listed; one it was not asked for does not', async () => {
    expect(watch.tracks('apps/v1', 'Deployment')).toBe(false);
    watch.track(['apps/v1/Deployment']);
    await until('the Deployments listed', () => watch.tracks('apps/v1', 'Deployment'));
    expect(watch.tracks('v1', 'ConfigMap')).toBe(false);
  });

  it('a kind whose watch fails (the cluster does not serve it) never holds; untracked, none holds', async () => {
    watch.track(['apps/v1/Deployment', 'example.com/v1/Gadget']);
    await until('the Gadgets\' watch failed', () => failed.includes('example.com/v1/Gadget'));
    expect(watch.tracks('example.com/v1', 'Gadget')).toBe(false);
    expect(watch.tracks('apps/v1', 'Deployment')).toBe(true);
    watch.track([]);
    expect(watch.tracks('apps/v1', 'Deployment')).toBe(false);
  });
});
