import { events } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';

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

/** Records what happened to an object (phase changes, drift, rollout steps). */
export async function recordEvents(tx: Db, entries: EventEntry[]) {
  if (entries.length === 0) return;
  await tx.insert(events).values(
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
  );
}
