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
 * for the console's feed; `e`: a notification the sender waits to hear back, and every replica to
 * acknowledge; `a`: the tenant's row or tokens changed (drop what is cached of them); `k`: the
 * acknowledgement of notification `k`, once applied; `b`: a replica saying it listens.
 */
interface Payload {
  o: string;
  t: string;
  c: [string, number | null][];
  f?: FeedKind[];
  e?: string;
  a?: 1;
  k?: string;
  b?: 1;
}

/** How long a publish, disconnect or forget waits for every replica's acknowledgement before answering anyway. */
const ECHO_WAIT_MS = 2000;
/** How often a replica says it listens; one silent for three times as long is no longer waited for. */
const BEAT_MS = 5000;

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
  /** what each notification still waits for: `from` is the replica that heard it */
  private readonly echoes = new Map<string, (from: string) => void>();
  /** the other replicas listening, by when each last said anything */
  private readonly peers = new Map<string, number>();
  private beats: ReturnType<typeof setInterval> | undefined;

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
      const { o, t, c, f, e, a, k, b } = decode(msg.payload);
      if (o === this.origin) return void (e && this.echoes.get(e)?.(o));
      if (o) this.peers.set(o, Date.now());
      if (k) return void this.echoes.get(k)?.(o);
      if (b) return;
      if (f) void this.local.announce(t, f.filter(isFeedKind));
      if (a) void this.local.forget(t);
      const published: Publication[] = [];
      for (const [clusterUid, r] of c) {
        if (r === null) void this.local.disconnect({ tenantUid: t, clusterUid });
        else published.push({ target: { tenantUid: t, clusterUid }, revision: r });
      }
      if (published.length > 0) void this.local.publish(published);
      // applied (the caches change at once): the sender may answer when every replica has said so
      if (e) void this.say({ k: e });
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
    void this.say({ b: 1 });
    this.beats ??= setInterval(() => void this.say({ b: 1 }), BEAT_MS);
    this.beats.unref?.();
  }

  /** A notification of this replica's own that nobody waits for (an acknowledgement, a beat). */
  private async say(p: Pick<Payload, 'k' | 'b'>) {
    await this.pool.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify({ o: this.origin, t: '', c: [], ...p } satisfies Payload)])
      .catch((err) => console.error('push: notify failed:', err));
  }

  /** Listens again once the database answers: a restart that lasts longer than one try must not end push for good. */
  private relisten() {
    if (this.closed) return;
    setTimeout(() => void this.listen().catch(() => this.relisten()), 1000);
  }

  /**
   * Publish, disconnect and forget answer once this replica has heard its own
   * last notification back and every other listening replica has acknowledged
   * applying it: Postgres signals every listening session at commit, but each
   * session delivers on its own time, so hearing one's own echo did not mean
   * the others had been told (seen under load: a replica served a deleted
   * cluster's cached credential right after the delete was answered). A revoke
   * or a new revision then holds on every replica once the write that made it
   * is answered. A replica silent for three beats is not waited for, and none
   * longer than ECHO_WAIT_MS.
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

  /** Resolves when this replica has heard the notification tagged `e` and every live peer acknowledged it, or after ECHO_WAIT_MS. */
  private heard(e: string): Promise<void> {
    const since = Date.now() - 3 * BEAT_MS;
    for (const [peer, at] of this.peers) if (at < since) this.peers.delete(peer);
    const waiting = new Set([this.origin, ...this.peers.keys()]);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ECHO_WAIT_MS);
      timer.unref?.();
      const echoes = this.echoes;
      function done() {
        clearTimeout(timer);
        echoes.delete(e);
        resolve();
      }
      echoes.set(e, (from) => {
        waiting.delete(from);
        if (waiting.size === 0) done();
      });
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
    clearInterval(this.beats);
    const listener = this.listener;
    this.listener = undefined;
    this.trust(false);
    listener?.release(true); // still listening: not a connection for the pool to hand out
  }
}
