import { describe, expect, it } from 'vitest';
import { statusLines } from '../../cli/app-status.js';
import type { App } from '../../cli/rollout.js';
import { scripted, standInEnv } from './stand-in.js';
import { fleetplane } from './support.js';

const deployment = (health: string, message?: string) =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', health, ...(message ? { message } : {}) });
const cluster = (name: string, phase: string, wave: number | undefined, revision: number, health = 'Healthy', message?: string) =>
  ({ name, phase, revision, resources: [deployment(health, message)], ...(wave === undefined ? {} : { wave }) });

/** An app in a progressive rollout as the API is to give it: status.rollout, and a wave per cluster. */
function fixture(state: 'Progressing' | 'Paused', clusters: ReturnType<typeof cluster>[], total = clusters.length): App {
  return {
    metadata: { name: 'web', generation: 2 },
    spec: {},
    status: {
      phase: state === 'Paused' ? 'Paused' : 'Progressing', observedGeneration: 1,
      summary: { clusters: total, ready: 2, progressing: 1, failed: state === 'Paused' ? 1 : 0, unknown: 0 },
      rollout: { generation: 2, wave: 2, waves: 3, state, message: state === 'Paused' ? 'edge-eu-2 failed' : 'waiting for edge-eu-2' },
      clusters,
    },
  } as unknown as App;
}

const fleet = [
  cluster('edge-us-1', 'Ready', 1, 2),
  cluster('edge-eu-1', 'Ready', 2, 2),
  cluster('edge-eu-2', 'Progressing', 2, 2, 'Progressing'),
  cluster('core-1', 'Ready', 3, 1),
];

describe('watch app: waves of a progressive rollout', () => {
  it('a rollout line under the app’s, then the clusters under their waves, the current one marked', () => {
    expect(statusLines(fixture('Progressing', fleet))).toEqual([
      'app/web Progressing: 2/4 clusters ready, 1 progressing (generation 2, observed 1)',
      'rollout: wave 2/3 Progressing — waiting for edge-eu-2',
      '  wave 1/3',
      '    edge-us-1  Ready       revision 2  1 resources',
      '  wave 2/3 (progressing)',
      '    edge-eu-1  Ready       revision 2  1 resources',
      '    edge-eu-2  Progressing revision 2  1 resources: Deployment/web Progressing',
      '  wave 3/3 (not started)',
      '    core-1     Ready       revision 1  1 resources',
    ]);
  });

  it('clusters without a wave come last; without status.rollout the lines stay as they were', () => {
    const lines = statusLines(fixture('Progressing', [cluster('edge-us-1', 'Ready', 1, 2), cluster('new-1', 'Pending', undefined, 0)]));
    expect(lines.slice(2)).toEqual(['  wave 1/3', '    edge-us-1  Ready       revision 2  1 resources', '  no wave', '    new-1      Pending     revision 0  1 resources']);
    const plain = fixture('Progressing', fleet.slice(0, 2), 250);
    delete (plain.status as { rollout?: unknown }).rollout;
    expect(statusLines(plain).slice(1)).toEqual([
      '  edge-us-1  Ready       revision 2  1 resources',
      '  edge-eu-1  Ready       revision 2  1 resources',
      '  … and 248 more clusters (those not Ready are shown first)',
    ]);
  });

  it('a paused rollout ends the watch (exit 1) with the resume command; clusters beyond status.clusters are read from the paged list', async () => {
    const failed = cluster('edge-eu-2', 'Failed', 2, 2, 'Degraded', 'ImagePullBackOff');
    const server = await scripted([
      { status: 200, body: fixture('Paused', [{ ...failed, wave: undefined }], 4) },
      { status: 200, body: { items: [fleet[3], fleet[1], failed, fleet[0]], nextCursor: null } },
    ]);
    const r = await fleetplane(['watch', 'app', 'web'], standInEnv(server.url));
    expect(server.seen.map((x) => x.url)).toEqual(['/v1/tenants/acme/apps/web', '/v1/tenants/acme/apps/web/clusters?limit=500']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('rollout: wave 2/3 Paused — edge-eu-2 failed\n  wave 1/3\n    edge-us-1');
    expect(r.stdout).toContain('  wave 2/3 (paused)\n    edge-eu-1  Ready       revision 2  1 resources\n    edge-eu-2  Failed      revision 2  1 resources: Deployment/web Degraded (ImagePullBackOff)\n');
    expect(r.stderr).toContain('continue with: fleetplane resume app web');
  });
});
