import type { Context } from 'hono';
import type { ClusterCache } from './cluster-cache.js';
import type { TokenCache } from './token-cache.js';
import type { FeedKind } from './feed.js';
import type { Tunnel } from '../gateway/tunnel/tunnel.js';
import type { OpenHead } from '../gateway/tunnel/frames.js';
import type { TunnelAnswer } from '../gateway/tunnel-request.js';

/** Which connector a push is for. The tenant picks the Durable Object on Workers. */
export interface PushTarget {
  tenantUid: string;
  clusterUid: string;
}

export const pushTargetOf = (cluster: { uid: string; tenantId: string }): PushTarget => ({
  tenantUid: cluster.tenantId,
  clusterUid: cluster.uid,
});

/** Close code for a watch ended because its credential no longer holds (RFC 6455: policy violation). */
export const CLOSE_REVOKED = 1008;

/** A cluster's new desired revision, to announce once the change is committed. */
export interface Publication {
  target: PushTarget;
  revision: number;
}

/**
 * Wakes connectors waiting on `/v1/connector/watch` when their cluster's
 * desired revision grows. Implementations: in-process (Node), plus Postgres
 * LISTEN/NOTIFY between Node replicas, and a Durable Object per tenant on Workers.
 */
export interface Push {
  /** Announces many revisions at once: one app change can move thousands of clusters. */
  publish(pushes: Publication[]): Promise<void>;
  /** Ends the cluster's watches (revoked or deleted): long polls return, sockets close with CLOSE_REVOKED. */
  disconnect(target: PushTarget): Promise<void>;
  /** Resolves with a revision above `after`, or undefined at timeout, abort or disconnect. */
  wait(target: PushTarget, after: number, timeoutMs: number, signal?: AbortSignal): Promise<number | undefined>;
  /**
   * Serves a WebSocket that sends `{ revision }` whenever the revision passes
   * `after` — at once if `current()` (read after subscribing) already has.
   */
  /** Tells the tenant's open console tabs that objects of these kinds changed (after the commit). */
  announce(tenantUid: string, kinds: FeedKind[]): Promise<void>;
  /** The tenant's live feed for one console tab, as Server-Sent Events, until `signal` aborts. */
  feed(tenantUid: string, signal?: AbortSignal): Response | Promise<Response>;
  /**
   * Clusters' credential generations and desired revisions, kept fresh by this
   * push path, where it can hear of every change (see cluster-cache).
   */
  readonly clusters?: ClusterCache;
  /** API tokens as found, kept fresh the same way (`forget`). */
  readonly tokens?: TokenCache;
  /**
   * A tenant's row or its tokens changed (committed): every replica drops what
   * it cached of them before this resolves.
   */
  forget(tenantUid: string): Promise<void>;
  socket?(c: Context, target: PushTarget, after: number, current: () => Promise<number>): Response | Promise<Response>;
  /** The gateway tunnels of the connectors whose sockets this replica holds, by cluster uid. */
  readonly tunnels?: { get(clusterUid: string): Tunnel | undefined; epoch?(clusterUid: string): number | undefined };
  /** Workers: one gateway request, relayed by the tenant's Durable Object over the connector's socket it holds. */
  relay?(target: PushTarget, head: OpenHead, body: ReadableStream<Uint8Array> | null, signal?: AbortSignal): Promise<TunnelAnswer>;
}
