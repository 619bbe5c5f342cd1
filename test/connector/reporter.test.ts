import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Reporter, type StatusReport } from '../../connectors/reporter.js';

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const config = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-config' };

let sent: StatusReport[];
let reporter: Reporter;
beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
  reporter = new Reporter(async (r) => void sent.push(r), 200);
  reporter.setOwner('App', 'web', 1, [{ ...deployment, health: 'Progressing' }, { ...config, health: 'Healthy' }]);
});
afterEach(() => {
  reporter.stop();
  vi.useRealTimers();
});

const healthOf = (r: StatusReport | undefined) => r?.apps[0]!.resources.map((x) => x.health);

describe('the status reporter', () => {
  it('debounces the events on the way, and sends at once when an owner settles', async () => {
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toHaveLength(1);
    reporter.updateResource(deployment, { health: 'Progressing', message: '1 of 2 replicas updated' });
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(1); // still on its way: debounced
    reporter.updateResource(deployment, { health: 'Healthy' });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(2); // Ready: not held back by the debounce
    expect(healthOf(sent[1])).toEqual(['Healthy', 'Healthy']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(2); // nothing left to say
  });

  it('a failure is sent at once too; a failing control plane keeps its backoff', async () => {
    await vi.advanceTimersByTimeAsync(200);
    reporter.updateResource(deployment, { health: 'Degraded', message: 'ImagePullBackOff' });
    await vi.advanceTimersByTimeAsync(0);
    expect(healthOf(sent.at(-1))).toEqual(['Degraded', 'Healthy']);

    let fail = true;
    const tries: number[] = [];
    const flaky = new Reporter(async (r) => {
      tries.push(Date.now());
      if (fail) throw new Error('control plane away');
      sent.push(r);
    }, 200);
    flaky.setOwner('App', 'web', 1, [{ ...deployment, health: 'Progressing' }]);
    await vi.advanceTimersByTimeAsync(200);
    expect(tries).toHaveLength(1); // failed: the next try waits 1 s
    flaky.updateResource(deployment, { health: 'Healthy' });
    await vi.advanceTimersByTimeAsync(500);
    expect(tries).toHaveLength(1); // settling does not jump the backoff
    fail = false;
    await vi.advanceTimersByTimeAsync(500);
    expect(tries).toHaveLength(2);
    expect(healthOf(sent.at(-1))).toEqual(['Healthy']);
    flaky.stop();
  });

  it('during a sync, a settling event waits: synced() sends once, with what the sync set', async () => {
    await vi.advanceTimersByTimeAsync(200);
    reporter.updateResource(deployment, { health: 'Healthy' });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(2);
    // revision 2: the sync's own applies make the old owner Progressing, then Healthy again
    reporter.syncing = true;
    reporter.updateResource(deployment, { health: 'Progressing' });
    reporter.updateResource(deployment, { health: 'Healthy' });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(2); // not a report of revision 1
    reporter.setOwner('App', 'web', 2, [{ ...deployment, health: 'Healthy' }, { ...config, health: 'Healthy' }]);
    reporter.syncing = false;
    reporter.synced();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(3);
    expect(sent[2]!.apps[0]).toMatchObject({ revision: 2 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(3);
  });

  it('drops U+0000 from messages, which the control plane refuses', async () => {
    reporter.updateResource(deployment, { health: 'Degraded', message: 'bad\0 image' });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.at(-1)!.apps[0]!.resources[0]).toMatchObject({ health: 'Degraded', message: 'bad image' });
  });
});
