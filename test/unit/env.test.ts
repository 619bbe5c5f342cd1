import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../worker/env.js';

describe('environment', () => {
  it('applies the documented defaults', () => {
    const c = parseEnv({});
    expect(c).toMatchObject({ port: 8787, databaseUrl: undefined, dataDir: './.fleetplane', oidc: undefined, webhookAllowPrivate: false, queryTimeoutMs: 10_000 });
  });

  it('lets webhooks reach private addresses only when FLEETPLANE_WEBHOOK_ALLOW_PRIVATE is exactly true', () => {
    expect(parseEnv({ FLEETPLANE_WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate).toBe(true);
    expect(parseEnv({ FLEETPLANE_WEBHOOK_ALLOW_PRIVATE: 'false' }).webhookAllowPrivate).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL'],
    [{ FLEETPLANE_ADMIN_TOKEN: 'short' }, 'FLEETPLANE_ADMIN_TOKEN'],
    [{ FLEETPLANE_PUBLIC_URL: 'not a url' }, 'FLEETPLANE_PUBLIC_URL'],
    [{ OIDC_ISSUER: 'https://id.example' }, 'OIDC_AUDIENCE'],
    [{ FLEETPLANE_RATE_LIMIT: '-1' }, 'FLEETPLANE_RATE_LIMIT'],
    [{ FLEETPLANE_ADMIN_TOKEN_SHA256: 'abc' }, 'FLEETPLANE_ADMIN_TOKEN_SHA256'],
    [{ FLEETPLANE_ADMIN_TOKEN_SHA256: 'a'.repeat(64), FLEETPLANE_ADMIN_TOKEN: `fp_${'x'.repeat(40)}` }, 'FLEETPLANE_ADMIN_TOKEN_SHA256'],
    [{ FLEETPLANE_TEST_CLOCK: 'yes' }, 'FLEETPLANE_TEST_CLOCK'],
    [{ FLEETPLANE_WEBHOOK_ALLOW_PRIVATE: '1' }, 'FLEETPLANE_WEBHOOK_ALLOW_PRIVATE'],
    [{ FLEETPLANE_PROCESSES: '0', DATABASE_URL: 'postgres://h/db' }, 'FLEETPLANE_PROCESSES'],
    [{ FLEETPLANE_PROCESSES: '1.5', DATABASE_URL: 'postgres://h/db' }, 'FLEETPLANE_PROCESSES'],
    [{ FLEETPLANE_PROCESSES: 'two', DATABASE_URL: 'postgres://h/db' }, 'FLEETPLANE_PROCESSES'],
    [{ FLEETPLANE_QUERY_TIMEOUT_MS: '-1' }, 'FLEETPLANE_QUERY_TIMEOUT_MS'],
    [{ FLEETPLANE_QUERY_TIMEOUT_MS: '2.5' }, 'FLEETPLANE_QUERY_TIMEOUT_MS'],
    [{ FLEETPLANE_QUERY_TIMEOUT_MS: 'ten' }, 'FLEETPLANE_QUERY_TIMEOUT_MS'],
  ])('a bad value names its variable: %j', (env, name) => {
    expect(() => parseEnv(env)).toThrow(new RegExp(`${name}:`));
  });

  it('takes a statement time limit in whole milliseconds, 0 for none', () => {
    expect(parseEnv({ FLEETPLANE_QUERY_TIMEOUT_MS: '2500' }).queryTimeoutMs).toBe(2500);
    expect(parseEnv({ FLEETPLANE_QUERY_TIMEOUT_MS: '0' }).queryTimeoutMs).toBe(0);
  });

  it('runs more than one Node process only on Postgres', () => {
    expect(parseEnv({}).processes).toBe(1);
    expect(parseEnv({ FLEETPLANE_PROCESSES: '4', DATABASE_URL: 'postgres://h/db' }).processes).toBe(4);
    expect(parseEnv({ FLEETPLANE_PROCESSES: '1' }).processes).toBe(1);
    expect(() => parseEnv({ FLEETPLANE_PROCESSES: '2' })).toThrow(/FLEETPLANE_PROCESSES: more than 1 needs DATABASE_URL/);
  });

  it('treats empty strings as unset and trims a trailing slash from the public URL', () => {
    const c = parseEnv({ DATABASE_URL: '', FLEETPLANE_PUBLIC_URL: 'https://fp.example.com/' });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.publicUrl).toBe('https://fp.example.com');
  });
});
