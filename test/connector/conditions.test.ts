import { describe, expect, it } from 'vitest';
import { Conditions } from '../../connectors/conditions.js';

describe('the conditions a connector sends with its heartbeats', () => {
  it('moves a transition time only when the status changes, and says when anything changed', () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    let changes = 0;
    const c = new Conditions(() => changes++, () => new Date(t));
    c.synced(3, 10);
    expect(c.list().map((x) => [x.type, x.status, x.lastTransitionTime])).toEqual([
      ['Ready', 'True', '2026-01-01T00:00:00.000Z'], ['Synced', 'True', '2026-01-01T00:00:00.000Z'],
    ]);
    t += 60_000;
    c.synced(4, 10); // same status, new message: the time stays
    expect(c.list().find((x) => x.type === 'Synced')).toMatchObject({ message: 'revision 4 applied (10 objects)', lastTransitionTime: '2026-01-01T00:00:00.000Z' });
    const before = changes;
    c.synced(4, 10); // nothing new: no heartbeat asked for
    expect(changes).toBe(before);
    t += 60_000;
    c.syncFailed('connect ECONNREFUSED', true);
    expect(c.list().find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'APIServerUnavailable', lastTransitionTime: '2026-01-01T00:02:00.000Z' });
    c.syncFailed('control plane answered 503', false); // not the cluster's fault: Ready keeps what it was
    expect(c.list().find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', message: 'connect ECONNREFUSED' });
    expect(c.list().find((x) => x.type === 'Synced')).toMatchObject({ status: 'False', reason: 'SyncFailed', message: 'control plane answered 503' });
    // U+0000 is dropped (the control plane refuses it), and the same failure again is not news
    c.syncFailed('bad\0 byte', false);
    expect(c.list().find((x) => x.type === 'Synced')).toMatchObject({ message: 'bad byte' });
    const seen = changes;
    c.syncFailed('bad\0 byte', false);
    expect(changes).toBe(seen);
  });

  it('every drift restore is news: the time is the last restore, the count grows', () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const c = new Conditions(() => {}, () => new Date(t));
    c.driftRestored('Deployment/shop/web', 'changed at /spec/replicas');
    t += 5_000;
    c.driftRestored('Deployment/shop/web', 'changed at /spec/replicas');
    expect(c.list()).toEqual([{
      type: 'DriftRestored', status: 'True', reason: 'DriftRestored', lastTransitionTime: '2026-01-01T00:00:05.000Z',
      message: 'Deployment/shop/web changed at /spec/replicas; restored (2 since the connector started)',
    }]);
  });
});
