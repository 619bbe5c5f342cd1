/** The app as Workers run it, from the Worker's env (one per isolate; tests build several to stand for several isolates). */
import { openNeon } from '../db/neon.js';
import { createApp, type App } from './app.js';
import { oidcVerifier } from './auth/oidc.js';
import { loadSigningKeys } from './auth/signing-keys.js';
import type { AppDeps } from './context.js';
import { ConfigError, oidcLoginOf, parseEnv } from './env.js';
import { sha256Hex } from './lib/crypto.js';
import { durableBuckets } from './limits/durable-buckets.js';
import { durableHeartbeats } from './heartbeats/durable-heartbeats.js';
import { durableReports } from './reports/durable-reports.js';
import { DurablePush } from './push/durable-push.js';
import type { DurableObjectNamespace } from './push/workers-types.js';
import { inlineRenderer } from './rendering/renderer.js';
import { testClockNow } from './lib/test-clock.js';
import { deliverOnWorkers } from './webhooks/workers.js';
import { workersDatabaseUrl } from './workers-database.js';

const binding = (env: Record<string, unknown>, name: string, what: string) => {
  const ns = env[name] as DurableObjectNamespace | undefined;
  if (!ns) throw new ConfigError(`invalid environment:\n  ${name}: the Durable Object binding ${what} is missing (see wrangler.toml)`);
  return ns;
};

/** `overrides` replace what the env would give (tests compare stores this way). */
export async function buildWorkerApp(env: Record<string, unknown>, overrides: Partial<AppDeps> = {}): Promise<App> {
  const config = parseEnv(env);
  const url = workersDatabaseUrl(config);
  if (!config.signingKey) {
    throw new ConfigError('invalid environment:\n  FLEETPLANE_SIGNING_KEY: required on Workers (npm run keygen prints one)');
  }
  const hubs = binding(env, 'PUSH_HUB', 'of the push hubs');
  const limiters = binding(env, 'RATE_LIMITER', 'of the rate limiters');
  const heartbeatWriters = binding(env, 'HEARTBEAT_WRITER', 'of the heartbeat writers');
  const statusWriters = binding(env, 'STATUS_WRITER', 'of the status report writers');
  const now = config.testClock ? testClockNow : () => new Date();
  return createApp({
    db: {
      open: async () => {
        const { db, pool } = openNeon(url, 1, config.queryTimeoutMs);
        return { db, release: () => pool.end() };
      },
    },
    keys: await loadSigningKeys(config.signingKey),
    adminTokenHash: config.adminToken ? await sha256Hex(config.adminToken) : config.adminTokenSha256,
    oidc: config.oidc ? oidcVerifier(config.oidc) : undefined,
    oidcLogin: oidcLoginOf(config),
    publicUrl: config.publicUrl,
    limits: config.limits,
    // set by Cloudflare's edge, which a caller cannot override
    sourceOf: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    // an isolate's own buckets would let a caller spread over many isolates multiply its budget
    buckets: durableBuckets(limiters),
    now,
    push: new DurablePush(hubs),
    // an isolate's own connection lasts one request: batched, heartbeats share a few that stay open
    heartbeats: durableHeartbeats(heartbeatWriters, { queryTimeoutMs: config.queryTimeoutMs }),
    reports: durableReports(statusWriters, { queryTimeoutMs: config.queryTimeoutMs }),
    releaseAfterResponse: true,
    renderer: inlineRenderer,
    webhooks: {
      allowPrivate: config.webhookAllowPrivate,
      resolve: undefined, // no DNS API on Workers
      enqueued: async (tenants) => {
        await deliverOnWorkers({ databaseUrl: url, queryTimeoutMs: config.queryTimeoutMs, allowPrivate: config.webhookAllowPrivate, now }, { tenants });
      },
    },
    ...overrides,
  });
}
