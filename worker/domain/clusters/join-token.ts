import { joinTokens } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { base64url, randomBytes, sha256Hex } from '../../lib/crypto.js';
import { recordAudit, type Actor } from '../audit.js';

export const JOIN_TOKEN_PREFIX = 'fpj_';
export const JOIN_TOKEN_DEFAULT_TTL_SECONDS = 3600;

/** A single-use secret that lets one connector register this cluster before it expires. */
export async function createJoinToken(
  db: Db, actor: Actor, cluster: { uid: string; tenantId: string; name: string }, ttlSeconds: number, now: Date,
) {
  const token = `${JOIN_TOKEN_PREFIX}${base64url(randomBytes(32))}`;
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  await db.transaction(async (tx) => {
    await tx.insert(joinTokens).values({
      secretHash: await sha256Hex(token),
      clusterUid: cluster.uid,
      expiresAt,
      createdBy: actor.principal.id,
    });
    await recordAudit(tx, actor, { tenantId: cluster.tenantId, action: 'create', kind: 'join-token', name: cluster.name });
  });
  return { token, expiresAt };
}
