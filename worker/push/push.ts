import type { Context } from 'hono';

/** Which connector a push is for. The tenant picks the Durable Object on Workers. */
export interface PushTarget {
  tenantUid: string;
  clusterUid: string;
}

/**
 * Wakes connectors waiting on `/v1/connector/watch` when their cluster's
 * desired revision grows. Implementations: in-process (Node), plus Postgres
 * LISTEN/NOTIFY between Node replicas, and a Durable Object per tenant on Workers.
 */
export interface Push {
  publish(target: PushTarget, revision: number): Promise<void>;
  /** Resolves with a revision above `after`, or undefined when `timeoutMs` passes first. */
  wait(target: PushTarget, after: number, timeoutMs: number, signal?: AbortSignal): Promise<number | undefined>;
  /** Serves a WebSocket that sends `{ revision }` on every change, where the runtime can. */
  socket?(c: Context, target: PushTarget, after: number): Response | Promise<Response>;
}
