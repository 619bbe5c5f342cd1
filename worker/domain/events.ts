import { events, type EventRow } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import { enqueueDeliveries } from '../webhooks/enqueue.js';

export interface EventEntry {
  tenantId: string;
  kind: 'Cluster' | 'App';
  name: string;
  uid: string;
  reason: string;
  from?: string | undefined;
  to?: string | undefined;
  message?: string;
  at: Date;
}

export const EVENT_KINDS = ['Cluster', 'App', 'Namespace'] as const;

/** An event as GET /events shows it, and as webhook deliveries carry it. */
export interface EventView {
  id: string;
  kind: (typeof EVENT_KINDS)[number];
  object: string;
  reason: string;
  message: string;
  at: string;
}

/** Phase changes keep their phases apart from the message; they read as one. */
const messageOf = (e: EventRow) =>
  e.message || (e.fromPhase && e.toPhase ? `${e.fromPhase} → ${e.toPhase}` : e.toPhase ?? '');

export const eventView = (e: EventRow): EventView => ({
  id: String(e.id),
  kind: e.objectKind as EventView['kind'],
  object: e.objectName,
  reason: e.reason,
  message: messageOf(e),
  at: e.at.toISOString(),
});

/**
 * Records what happened to an object (phase changes, drift, rollout steps),
 * and in the same transaction the webhook deliveries those events make: an
 * event is never recorded without them, nor they without it.
 */
export async function recordEvents(db: Db, entries: EventEntry[]) {
  if (entries.length === 0) return;
  // a savepoint inside the caller's transaction, or a transaction of its own
  await db.transaction(async (tx) => {
    const recorded = await tx.insert(events).values(
      entries.map((e) => ({
        tenantId: e.tenantId,
        objectKind: e.kind,
        objectName: e.name,
        objectUid: e.uid,
        reason: e.reason,
        fromPhase: e.from ?? null,
        toPhase: e.to ?? null,
        message: e.message ?? '',
        at: e.at,
      })),
    ).returning();
    await enqueueDeliveries(tx, recorded);
  });
}
