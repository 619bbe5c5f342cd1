/** Cloudflare Workers entry: one app per isolate, one Neon connection per request. */
import { openNeon, useFetchWebSockets, useLocalWsProxy } from '../db/neon.js';
import { createApp, type App } from './app.js';
import { oidcVerifier } from './auth/oidc.js';
import { loadSigningKeys } from './auth/signing-keys.js';
import { ConfigError, parseEnv } from './env.js';
import { sha256Hex } from './lib/crypto.js';
import { DurablePush } from './push/durable-push.js';
import { inlineRenderer } from './rendering/renderer.js';
import { testClockNow, withTestClock } from './lib/test-clock.js';
import { scheduledOnWorkers, type ExecutionContext, type ScheduledController } from './scheduled/workers.js';
import type { DurableObjectNamespace } from './push/workers-types.js';

export { PushHub } from './push/push-hub.js';

let appPromise: Promise<App> | undefined;

async function build(env: Record<string, unknown>): Promise<App> {
  const config = parseEnv(env);
  if (!config.databaseUrl) throw new ConfigError('invalid environment:\n  DATABASE_URL: required on Workers');
  if (!config.signingKey) {
    throw new ConfigError('invalid environment:\n  FLEETPLANE_SIGNING_KEY: required on Workers (npm run keygen prints one)');
  }
  if (config.neonWsProxy) useLocalWsProxy(config.neonWsProxy);
  useFetchWebSockets();
  const hubs = env.PUSH_HUB as DurableObjectNamespace | undefined;
  if (!hubs) throw new ConfigError('invalid environment:\n  PUSH_HUB: the Durable Object binding is missing (see wrangler.toml)');
  const url = config.databaseUrl;
  return createApp({
    db: {
      open: async () => {
        const { db, pool } = openNeon(url);
        return { db, release: () => pool.end() };
      },
    },
    keys: await loadSigningKeys(config.signingKey),
    adminTokenHash: config.adminToken ? await sha256Hex(config.adminToken) : config.adminTokenSha256,
    oidc: config.oidc ? oidcVerifier(config.oidc) : undefined,
    publicUrl: config.publicUrl,
    limits: config.limits,
    // set by Cloudflare's edge, which a caller cannot override
    sourceOf: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    now: config.testClock ? testClockNow : () => new Date(),
    push: new DurablePush(hubs),
    releaseAfterResponse: true,
    renderer: inlineRenderer,
  });
}

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: { waitUntil(p: Promise<unknown>): void }) {
    appPromise ??= build(env);
    let app: App;
    try {
      app = await appPromise;
    } catch (err) {
      appPromise = undefined;
      const detail = err instanceof Error ? err.message : String(err);
      console.error(detail);
      return Response.json(
        { type: 'about:blank', title: 'Service Unavailable', status: 503, detail, code: 'misconfigured', requestId: 'none' },
        { status: 503, headers: { 'Content-Type': 'application/problem+json' } },
      );
    }
    return withTestClock(request, () => app.fetch(request, env, ctx as never));
  },

  /** The cron trigger in wrangler.toml; the summary is one JSON line in the Workers logs. */
  async scheduled(controller: ScheduledController, env: Record<string, unknown>, ctx: ExecutionContext) {
    const run = await scheduledOnWorkers(env, new Date(controller.scheduledTime), ctx);
    console.log(JSON.stringify({ scheduled: controller.cron, ...run }));
  },
};
