import type { Context } from 'hono';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { isFeedKind, type FeedKind } from '../push/feed.js';
import type { Publication, Push, PushTarget } from '../push/push.js';
import type { NodePush } from './node-push.js';

const CHANNEL = 'fleetplane_push';
/**
 * Postgres refuses payloads of 8000 bytes or more. Each notification carries
 * one tenant's clusters up to this size: a 10,000-cluster change is some 70
 * notifications, not 10,000 for every replica to receive and parse.
 */
const PAYLOAD_MAX = 7000;
/** Notifications sent per query. */
const NOTIFY_BATCH = 100;

/**
 * `o`: the sending replica; `t`: tenant; `c`: [cluster, revision or null for disconnect]; `f`: kinds changed,
 * for the console's feed; `e`: a notification the sender waits to hear back; `a`: the tenant's row or
 * tokens changed (drop what is cached of them).
 */
interface Payload {
  o: string;
  t: string;
  c: [string, number | null][];
  f?: FeedKind[];
  e?: string;
  a?: 1;
}

/** How long a publish, disconnect or forget waits to hear its own notification back before answering anyway. */
const ECHO_WAIT_MS = 2000;

function payloads(origin: string, items: { target: PushTarget; r: number | null }[]): string[] {
  const byTenant = new Map<string, [string, number | null][]>();
  for (const { target, r } of items) {
    const list = byTenant.get(target.tenantUid) ?? [];
    if (list.length === 0) byTenant.set(target.tenantUid, list);
    list.push([target.clusterUid, r]);
  }
  const out: string[] = [];
  for (const [t, all] of byTenant) {
    const head = JSON.stringify({ o: origin, t, c: [] }).length;
    let chunk: Payload['c'] = [];
    let size = head;
    for (const item of all) {
      const len = JSON.stringify(item).length + 1;
      if (chunk.length > 0 && size + len > PAYLOAD_MAX) {
        out.push(JSON.stringify({ o: origin, t, c: chunk }));
        chunk = [];
        size = head;
      }
      chunk.push(item);
      size += len;
    }
    if (chunk.length > 0) out.push(JSON.stringify({ o: origin, t, c: chunk }));
  }
  return out;
}

/** Also reads the one-cluster form `{ t, c, r }` that replicas of an older release send. */
function decode(text: string): Payload {
  const p = JSON.parse(text) as Payload | { t: string; c: string; r: number | null };
  return typeof p.c === 'string' ? { o: '', t: p.t, c: [[p.c, (p as { r: number | null }).r]] } : (p as Payload);
}

/**
 * Push across Node replicas sharing one Postgres: each publish is also sent
 * with NOTIFY, and every replica LISTENs and wakes its own waiting connectors.
 * A replica skips its own notifications: it woke its waiters before sending them.
 */
export class PgPush implements Push {
  private listener: pg.PoolClient | undefined;
  private closed = false;
  private readonly origin = randomUUID();
  private readonly echoes = new Map<string, () => void>();

  constructor(private readonly local: NodePush, private readonly pool: pg.Pool) {
    // deaf until LISTEN holds: another replica's change would go unheard
    this.trust(false);
  }

  /** The caches are trusted only while this replica hears every change (LISTEN holds); either way they start empty. */
  private trust(listening: boolean) {
    this.local.clusters.reset(listening);
    this.local.tokens.reset(listening);
  }

  get tunnels() {
    return this.local.tunnels;
  }

  get clusters() {
    return this.local.clusters;
  }

  get tokens() {
    return this.local.tokens;
  }

  async listen(): Promise<void> {
    const client = await this.pool.connect();
    this.listener = client;
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      const { o, t, c, f, e, a } = decode(msg.payload);
      if (o === this.origin) return void (e && this.echoes.get(e)?.());
      if (f) void this.local.announce(t, f.filter(isFeedKind));
      if (a) void this.local.forget(t);
      const published: Publication[] = [];
      for (const [clusterUid, r] of c) {
        if (r === null) void this.local.disconnect({ tenantUid: t, clusterUid });
        else published.push({ target: { tenantUid: t, clusterUid }, revision: r });
      }
      if (published.length > 0) void this.local.publish(published);
    });
    client.on('error', () => {
      if (this.listener !== client) return; // close() gave it back already: releasing twice throws
      this.listener = undefined;
      this.trust(false);
      client.release(true);
      this.relisten();
    });
    await client.query(`listen ${CHANNEL}`);
    this.trust(true);
  }

  /** Listens again once the database answers: a restart that lasts longer than one try must not end push for good. */
  private relisten() {
    if (this.closed) return;
    setTimeout(() => void this.listen().catch(() => this.relisten()), 1000);
  }

  /**
   * Publish and disconnect answer once this replica has heard its own last
   * notification back: Postgres signals every listening session at the same
   * commit, so by then the other replicas have been told too, and a revoke or a
   * new revision holds on every replica once the write that made it is answered
   * (their cluster caches serve neither a revoked credential nor an old revision).
   */
  async publish(pushes: Publication[]) {
    await this.local.publish(pushes);
    await this.notify(pushes.map((p) => ({ target: p.target, r: p.revision })));
  }

  async disconnect(target: PushTarget) {
    await this.local.disconnect(target);
    await this.notify([{ target, r: null }]);
  }

  async forget(tenantUid: string) {
    await this.local.forget(tenantUid);
    await this.send([JSON.stringify({ o: this.origin, t: tenantUid, c: [], a: 1 } satisfies Payload)]);
  }

  /** `r: null` means disconnect. */
  private notify(items: { target: PushTarget; r: number | null }[]) {
    return this.send(payloads(this.origin, items));
  }

  /** Sends the payloads in order and waits to hear the last one back. */
  private async send(all: string[]) {
    if (all.length === 0) return;
    const e = randomUUID();
    const heard = this.heard(e);
    all[all.length - 1] = JSON.stringify({ ...JSON.parse(all.at(-1)!), e });
    for (let i = 0; i < all.length; i += NOTIFY_BATCH) {
      await this.pool.query('select pg_notify($1, p) from unnest($2::text[]) as p', [CHANNEL, all.slice(i, i + NOTIFY_BATCH)]);
    }
    if (this.listener) await heard;
  }

  /** Resolves when the notification tagged `e` comes back to this replica, or after ECHO_WAIT_MS. */
  private heard(e: string): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ECHO_WAIT_MS);
      timer.unref?.();
      const echoes = this.echoes;
      function done() {
        clearTimeout(timer);
        echoes.delete(e);
        resolve();
      }
      echoes.set(e, done);
    });
  }

  async announce(tenantUid: string, kinds: FeedKind[]) {
    await this.local.announce(tenantUid, kinds);
    const payload: Payload = { o: this.origin, t: tenantUid, c: [], f: kinds };
    await this.pool.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(payload)]);
  }

  feed(tenantUid: string, signal?: AbortSignal) {
    return this.local.feed(tenantUid, signal);
  }

  wait(target: PushTarget, after: number, timeoutMs: number, signal?: AbortSignal) {
    return this.local.wait(target, after, timeoutMs, signal);
  }

  socket(c: Context, target: PushTarget, after: number, current: () => Promise<number>) {
    return this.local.socket(c, target, after, current);
  }

  close() {
    this.closed = true;
    const listener = this.listener;
    this.listener = undefined;
    this.trust(false);
    listener?.release(true); // still listening: not a connection for the pool to hand out
  }
}
