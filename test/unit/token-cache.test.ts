import { describe, expect, it } from 'vitest';
import { TokenCache } from '../../worker/push/token-cache.js';

const principal = (tenantId: string) => ({ kind: 'token' as const, id: 'token:t', tenantId, tokenName: 't', role: 'viewer' as const, tenant: {} as never });

describe('the token cache', () => {
  it('never serves a token past its expiry (on the app clock), and drops a tenant\'s tokens together', () => {
    const cache = new TokenCache(60_000);
    const expires = new Date('2026-01-01T00:00:10Z');
    cache.fill('h1', { principal: principal('t1'), expiresAt: expires }, cache.mark(), 0);
    cache.fill('h2', { principal: principal('t1'), expiresAt: null }, cache.mark(), 0);
    cache.fill('h3', { principal: principal('t2'), expiresAt: null }, cache.mark(), 0);
    expect(cache.get('h1', 1, new Date('2026-01-01T00:00:09Z'))).toBeDefined();
    expect(cache.get('h1', 1, new Date('2026-01-01T00:00:10Z'))).toBeUndefined();
    cache.dropTenant('t1');
    expect(cache.get('h2', 1, expires)).toBeUndefined();
    expect(cache.get('h3', 1, expires)?.tenantId).toBe('t2');
  });
});
