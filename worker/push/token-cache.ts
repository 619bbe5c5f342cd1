import type { Principal } from '../auth/principal.js';
import { NotifiedCache } from './notified-cache.js';

/**
 * API tokens as found (by the SHA-256 of the secret): the principal with its
 * tenant's row, and when the token expires. Every request with a token read
 * them from the database; a tenant's change (its row, a token deleted) drops
 * all of that tenant's entries on every replica, through the push path.
 */
export interface CachedToken {
  principal: Extract<Principal, { kind: 'token' }>;
  expiresAt: Date | null;
}

export class TokenCache extends NotifiedCache<CachedToken> {
  /** The token's principal if cached, fresh and not expired at `at` (the app's clock). */
  get(hash: string, now: number, at: Date): CachedToken['principal'] | undefined {
    const t = this.lookup(hash, now);
    return t && (t.expiresAt === null || t.expiresAt > at) ? t.principal : undefined;
  }

  dropTenant(tenantUid: string) {
    this.dropWhere((t) => t.principal.tenantId === tenantUid);
  }
}
