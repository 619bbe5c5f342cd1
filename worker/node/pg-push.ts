import type { Context } from 'hono';
import type pg from 'pg';
import type { Push, PushTarget } from '../push/push.js';
import type { NodePush } from './node-push.js';

const CHANNEL = 'fleetplane_push';

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
      void (r === null ? this.local.disconnect(target) : this.local.publish(target, r));
    });
    client.on('error', () => {
      client.release(true);
      if (!this.closed) setTimeout(() => void this.listen().catch(() => {}), 1000);
    });
    await client.query(`listen ${CHANNEL}`);
    this.listener = client;
  }

  async publish(target: PushTarget, revision: number) {
    await this.local.publish(target, revision);
    await this.notify(target, revision);
  }

  async disconnect(target: PushTarget) {
    await this.local.disconnect(target);
    await this.notify(target, null);
  }

  /** `r: null` means disconnect. */
  private async notify(target: PushTarget, r: number | null) {
    const payload = JSON.stringify({ t: target.tenantUid, c: target.clusterUid, r });
    await this.pool.query('select pg_notify($1, $2)', [CHANNEL, payload]);
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
