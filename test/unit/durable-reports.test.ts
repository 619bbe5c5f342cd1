import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client.js';
import type { ReportWrite } from '../../worker/domain/connector/status-batch.js';
import { durableReports, REPORT_SHARDS, statusWriterName } from '../../worker/reports/durable-reports.js';
import { heartbeatWriterName } from '../../worker/heartbeats/durable-heartbeats.js';
import { recordingObjects as objects } from '../support/fake-objects.js';
import { trackEnqueued } from '../../worker/webhooks/enqueued.js';

const apps = [{ name: 'web', revision: 3, resources: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'web', health: 'Healthy' as const }] }];
const report = (clusterUid: string): ReportWrite => ({
  clusterUid, generation: 2, seq: 17, revision: 9, apps, appsJson: JSON.stringify(apps), at: new Date('2026-12-06T00:00:00Z'),
});

/** A database handle the isolate's own write would use: this one fails loudly if it is touched. */
const untouched = new Proxy({}, { get: () => { throw new Error('the isolate wrote the report itself'); } }) as Db;
const uid = '0badcafe-0000-4000-8000-000000000000';
const pushes = [{ target: { tenantUid: 't', clusterUid: uid }, revision: 12 }];

describe('durableReports (the isolate’s side)', () => {
  it('spreads clusters over the shards by uid, apart from the heartbeats’ objects', () => {
    const uids = Array.from({ length: 64 }, (_, i) => `${(i * 0x01000001).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`);
    expect(new Set(uids.map(statusWriterName)).size).toBe(REPORT_SHARDS);
    expect(statusWriterName(uid)).not.toBe(heartbeatWriterName(uid));
  });

  it('sends the report to its object (its apps as the text stored, once) and answers the object’s pushes; null (not stored) is undefined', async () => {
    let answer: unknown = { pushes, tenants: [] };
    const { ns, asked } = objects(() => Response.json(answer));
    const writeVia = durableReports(ns, { queryTimeoutMs: 10_000 });
    expect(await writeVia(untouched, report(uid))).toEqual(pushes);
    const { apps: _apps, ...rest } = report(uid);
    expect(asked).toEqual([{ name: statusWriterName(uid), body: { ...rest, at: '2026-12-06T00:00:00.000Z' } }]);
    answer = null;
    expect(await writeVia(untouched, report(uid))).toBeUndefined();
  });

  it('notes the deliveries the object’s batch enqueued in this request, and none when it enqueued none', async () => {
    let tenants: string[] = ['t'];
    const { ns } = objects(() => Response.json({ pushes: [], tenants }));
    const writeVia = durableReports(ns, { queryTimeoutMs: 10_000 });
    expect((await trackEnqueued(() => writeVia(untouched, report(uid)))).enqueued).toBe(true);
    tenants = [];
    expect((await trackEnqueued(() => writeVia(untouched, report(uid)))).enqueued).toBe(false);
  });

  it('stores the report in the isolate when the object fails, logging the outage once', async () => {
    const { ns, asked } = objects(() => new Response('boom', { status: 500 }));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const writeVia = durableReports(ns, { queryTimeoutMs: 10_000, now: () => 0 });
      const own = new Proxy({}, { get: () => { throw new Error('own write'); } }) as Db;
      for (let i = 0; i < 2; i++) await expect(writeVia(own, report(uid))).rejects.toThrow('own write');
      expect(asked).toHaveLength(1);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(String(errors.mock.calls[0]![0])).toContain('StatusWriter');
    } finally {
      errors.mockRestore();
    }
  });
});
