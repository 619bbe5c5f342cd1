import { z } from 'zod';
import { DEFAULT_QUERY_TIMEOUT_MS } from '../db/query-limits.js';
import type { RateLimits } from './lib/throttles.js';

const optional = <T extends z.ZodType>(s: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), s.optional());

const rate = () => optional(z.coerce.number({ error: 'must be a number' }).min(0, { error: 'must be >= 0 (0 turns it off)' }));

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const EnvSchema = z
  .object({
    PORT: optional(z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535, { error: 'must be a port number (0-65535, 0 = any free port)' })),
    DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })),
    FLEETPLANE_DATA_DIR: optional(z.string()),
    FLEETPLANE_ADMIN_TOKEN: optional(
      z.string().regex(/^fp_[A-Za-z0-9_-]{32,}$/, { error: 'must be "fp_" followed by at least 32 characters of [A-Za-z0-9_-]' }),
    ),
    // the token's SHA-256 (hex) instead of the token: what `npm run dev:worker` passes for a generated one
    FLEETPLANE_ADMIN_TOKEN_SHA256: optional(z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits (a SHA-256)' })),
    FLEETPLANE_PUBLIC_URL: optional(httpUrl),
    // how the other Node replicas reach this one (gateway requests for the connectors it holds)
    FLEETPLANE_REPLICA_URL: optional(httpUrl),
    FLEETPLANE_SIGNING_KEY: optional(z.string()),
    // Node: server processes sharing the port (node:cluster), e.g. one per core
    FLEETPLANE_PROCESSES: optional(z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' }).max(64, { error: 'must be at most 64' })),
    FLEETPLANE_RATE_LIMIT: rate(),
    FLEETPLANE_TENANT_RATE_LIMIT: rate(),
    FLEETPLANE_CONNECTOR_RATE_LIMIT: rate(),
    FLEETPLANE_AUTH_FAILURE_LIMIT: rate(),
    FLEETPLANE_NEON_WS_PROXY: optional(z.string()),
    // each statement's time limit in ms (db/query-limits.ts); 0 turns it off
    FLEETPLANE_QUERY_TIMEOUT_MS: optional(z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number of milliseconds' })
      .min(0, { error: 'must be >= 0 (0 turns it off)' }).max(600_000, { error: 'must be at most 600000 (10 minutes)' })),
    // local use: webhooks may reach loopback and private addresses (link-local ones never)
    FLEETPLANE_WEBHOOK_ALLOW_PRIVATE: optional(z.enum(['true', 'false'], { error: 'must be true or false' })),
    // tests only: the worker takes the time from the X-Fleetplane-Test-Now header (never in production)
    FLEETPLANE_TEST_CLOCK: optional(z.enum(['true', 'false'], { error: 'must be true or false' })),
    OIDC_ISSUER: optional(z.string().min(1)),
    OIDC_AUDIENCE: optional(z.string().min(1)),
    OIDC_JWKS_URL: optional(httpUrl),
  })
  .superRefine((env, ctx) => {
    if (env.FLEETPLANE_ADMIN_TOKEN && env.FLEETPLANE_ADMIN_TOKEN_SHA256) {
      ctx.addIssue({ code: 'custom', path: ['FLEETPLANE_ADMIN_TOKEN_SHA256'], message: 'set either it or FLEETPLANE_ADMIN_TOKEN, not both' });
    }
    if ((env.FLEETPLANE_PROCESSES ?? 1) > 1 && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['FLEETPLANE_PROCESSES'], message: 'more than 1 needs DATABASE_URL: the embedded database lives in one process' });
    }
    const oidc = ['OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL'] as const;
    const set = oidc.filter((k) => env[k] !== undefined);
    if (set.length > 0 && set.length < oidc.length) {
      for (const k of oidc.filter((k) => env[k] === undefined)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `must be set together with ${set.join(', ')}` });
      }
    }
  });

/** Every variable the control plane reads (`npm run dev:worker` passes these on to workerd). */
export const ENV_KEYS = Object.keys(EnvSchema.shape) as (keyof z.infer<typeof EnvSchema>)[];

export interface Config {
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  adminTokenSha256: string | undefined;
  publicUrl: string | undefined;
  /** how the other replicas reach this one; its own listening address unless set (with processes > 1: its host, each process's own port) */
  replicaUrl: string | undefined;
  signingKey: string | undefined;
  /** Node: server processes sharing the port */
  processes: number;
  /** requests per second per caller, tenant and connector, failed authentications a minute per address; 0 = unlimited */
  limits: RateLimits;
  neonWsProxy: string | undefined;
  /** each statement's time limit, ms (0: none) */
  queryTimeoutMs: number;
  /** webhooks may be sent to loopback and private addresses */
  webhookAllowPrivate: boolean;
  testClock: boolean;
  oidc: { issuer: string; audience: string; jwksUrl: string } | undefined;
}

export class ConfigError extends Error {}

/**
 * The console's single sign-on, when OIDC is configured. The client id is the
 * API's audience: the ID token the console receives is what it presents to the
 * API, and an ID token's audience is the client it was issued to.
 */
export const oidcLoginOf = (config: Config) => (config.oidc ? { issuer: config.oidc.issuer, clientId: config.oidc.audience } : undefined);

/** Parses the environment once; a bad value names its variable. */
export function parseEnv(raw: Record<string, unknown>): Config {
  const r = EnvSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const e = r.data;
  return {
    port: e.PORT ?? 8787,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.FLEETPLANE_DATA_DIR ?? './.fleetplane',
    adminToken: e.FLEETPLANE_ADMIN_TOKEN,
    adminTokenSha256: e.FLEETPLANE_ADMIN_TOKEN_SHA256,
    publicUrl: e.FLEETPLANE_PUBLIC_URL?.replace(/\/+$/, ''),
    replicaUrl: e.FLEETPLANE_REPLICA_URL?.replace(/\/+$/, ''),
    signingKey: e.FLEETPLANE_SIGNING_KEY,
    processes: e.FLEETPLANE_PROCESSES ?? 1,
    limits: {
      caller: e.FLEETPLANE_RATE_LIMIT ?? 20,
      // all of a tenant's tokens and users together: a few busy callers, not one per token minted
      tenant: e.FLEETPLANE_TENANT_RATE_LIMIT ?? 5 * (e.FLEETPLANE_RATE_LIMIT ?? 20),
      // a connector heartbeats every 10 s and long-polls: 10/s is a storm of its own retries
      connector: e.FLEETPLANE_CONNECTOR_RATE_LIMIT ?? 10,
      authFailuresPerMinute: e.FLEETPLANE_AUTH_FAILURE_LIMIT ?? 10,
    },
    neonWsProxy: e.FLEETPLANE_NEON_WS_PROXY,
    queryTimeoutMs: e.FLEETPLANE_QUERY_TIMEOUT_MS ?? DEFAULT_QUERY_TIMEOUT_MS,
    webhookAllowPrivate: e.FLEETPLANE_WEBHOOK_ALLOW_PRIVATE === 'true',
    testClock: e.FLEETPLANE_TEST_CLOCK === 'true',
    oidc: e.OIDC_ISSUER && e.OIDC_AUDIENCE && e.OIDC_JWKS_URL
      ? { issuer: e.OIDC_ISSUER, audience: e.OIDC_AUDIENCE, jwksUrl: e.OIDC_JWKS_URL }
      : undefined,
  };
}
