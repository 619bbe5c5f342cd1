import { describe, expect, it } from 'vitest';
import { clusterPhase, phaseChanges, silenceChanges } from '../../worker/domain/clusters/phase.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('cluster phase', () => {
  it('is Pending before any heartbeat, then follows the report until silence says otherwise', () => {
    expect(clusterPhase(undefined, t0)).toBe('Pending');
    expect(clusterPhase({ lastHeartbeatAt: null, ready: true }, t0)).toBe('Pending');
    const ready = { lastHeartbeatAt: t0, ready: true };
    expect(clusterPhase(ready, at(40_000))).toBe('Ready');
    expect(clusterPhase(ready, at(40_001))).toBe('Unknown');
    expect(clusterPhase(ready, at(300_000))).toBe('Unknown');
    expect(clusterPhase(ready, at(300_001))).toBe('Offline');
    expect(clusterPhase({ lastHeartbeatAt: t0, ready: false }, at(1_000))).toBe('NotReady');
  });

  it('lists the changes between two heartbeats with the times they happened', () => {
    expect(phaseChanges(undefined, { at: t0, ready: true })).toEqual([{ from: 'Pending', to: 'Ready', at: t0 }]);
    expect(phaseChanges({ lastHeartbeatAt: t0, ready: true }, { at: at(10_000), ready: true })).toEqual([]);
    expect(phaseChanges({ lastHeartbeatAt: t0, ready: true }, { at: at(60_000), ready: false })).toEqual([
      { from: 'Ready', to: 'Unknown', at: at(40_000) },
      { from: 'Unknown', to: 'NotReady', at: at(60_000) },
    ]);
    expect(phaseChanges({ lastHeartbeatAt: t0, ready: false }, { at: at(600_000), ready: true })).toEqual([
      { from: 'NotReady', to: 'Unknown', at: at(40_000) },
      { from: 'Unknown', to: 'Offline', at: at(300_000) },
      { from: 'Offline', to: 'Ready', at: at(600_000) },
    ]);
  });

  it('leaves out the silence already recorded, whoever writes the rest', () => {
    const ready = { lastHeartbeatAt: t0, ready: true };
    expect(silenceChanges(ready, at(40_000))).toEqual([]);
    expect(silenceChanges(ready, at(40_001))).toEqual([{ from: 'Ready', to: 'Unknown', at: at(40_000) }]);
    expect(silenceChanges(ready, at(400_000), 'Unknown')).toEqual([{ from: 'Unknown', to: 'Offline', at: at(300_000) }]);
    expect(silenceChanges(ready, at(400_000), 'Offline')).toEqual([]);
    expect(phaseChanges(ready, { at: at(400_000), ready: true }, 'Unknown')).toEqual([
      { from: 'Unknown', to: 'Offline', at: at(300_000) },
      { from: 'Offline', to: 'Ready', at: at(400_000) },
    ]);
    expect(phaseChanges(ready, { at: at(400_000), ready: false }, 'Offline')).toEqual([{ from: 'Offline', to: 'NotReady', at: at(400_000) }]);
  });
});
