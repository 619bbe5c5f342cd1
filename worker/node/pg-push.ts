import type { Context } from 'hono';
import type pg from 'pg';
import type { Publication, Push, PushTarget } from '../push/push.js';
import type { NodePush } from './node-push.js';

const CHANNEL = 'fleetplane_push';
/** Notifications sent per query: one query per cluster made a 10,000-cluster change spend seconds here. */
const NOTIFY_BATCH = 1000;

/**
 * Push across Node replicas sharing one Postgres: each publish is also sent
 * with NOTIFY, and every replica LISTENs and wakes its own waiting connectors.
 * A replica also hears its own notifications; waking a waiter twice is harmless.
 */
export class PgPush implements Push {
  private listener: pg.PoolClient | undefined;
  private closed = false;

  constructor(private readonly local: NodePush, private readonly pool: pg.Pool) {}

  async listen(): Promise<void> {
    const client = await this.pool.connect();
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      const { t, c, r } = JSON.parse(msg.payload) as { t: string; c: string; r: number | null };
      const target = { tenantUid: t, clusterUid: c };
      void (r === null ? this.local.disconnect(target) : this.local.publish([{ target, revision: r }]));
    });
    client.on('error', () => {
      client.release(true);
      if (!this.closed) setTimeout(() => void this.listen().catch(() => {}), 1000);
    });
    await client.query(`listen ${CHANNEL}`);
    this.listener = client;
  }

  async publish(pushes: Publication[]) {
    await this.local.publish(pushes);
    await this.notify(pushes.map((p) => ({ target: p.target, r: p.revision })));
  }

  async disconnect(target: PushTarget) {
    await this.local.disconnect(target);
    await this.notify([{ target, r: null }]);
  }

  /** `r: null` means disconnect. */
  private async notify(items: { target: PushTarget; r: number | null }[]) {
    const payloads = items.map(({ target, r }) => JSON.stringify({ t: target.tenantUid, c: target.clusterUid, r }));
    for (let i = 0; i < payloads.length; i += NOTIFY_BATCH) {
      await this.pool.query('select pg_notify($1, p) from unnest($2::text[]) as p', [CHANNEL, payloads.slice(i, i + NOTIFY_BATCH)]);
    }
  }

  wait(target: PushTarget, after: number, timeoutMs: number, signal?: AbortSignal) {
    return this.local.wait(target, after, timeoutMs, signal);
  }

  socket(c: Context, target: PushTarget, after: number, current: () => Promise<number>) {
    return this.local.socket(c, target, after, current);
  }

  close() {
    this.closed = true;
    this.listener?.release();
  }
}
