import { apiTokens, type ApiTokenRow } from '../../../db/schema/index.js';
import type { Db } from '../../../db/client.js';
import { API_TOKEN_PREFIX } from '../../auth/authenticate.js';
import { atLeast, type Role } from '../../auth/roles.js';
import { base64url, randomBytes, randomId, sha256Hex } from '../../lib/crypto.js';
import { forbidden } from '../../lib/problem.js';
import { recordAudit, type Actor } from '../audit.js';

export interface TokenSpec {
  role: Role;
  description: string;
  expiresInSeconds?: number | undefined;
}

/** Mints a token; the secret exists only in the returned value, the database keeps its hash. */
export async function createToken(
  db: Db, actor: Actor, tenantId: string, callerRole: Role, spec: TokenSpec, labels: Record<string, string>, now: Date,
): Promise<{ row: ApiTokenRow; token: string }> {
  if (!atLeast(callerRole, spec.role)) throw forbidden(`a ${callerRole} cannot mint a token with the ${spec.role} role`);
  const token = `${API_TOKEN_PREFIX}${base64url(randomBytes(32))}`;
  const expiresAt = spec.expiresInSeconds ? new Date(now.getTime() + spec.expiresInSeconds * 1000) : null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        tenantId,
        name: `tok-${randomId(16)}`,
        labels,
        spec: { ...spec },
        secretHash: await sha256Hex(token),
        expiresAt,
        createdBy: actor.principal.id,
      })
      .returning();
    await recordAudit(tx, actor, { tenantId, action: 'create', kind: 'token', name: row!.name, after: row });
    return { row: row!, token };
  });
}
