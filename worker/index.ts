/** Cloudflare Workers entry: one app per isolate, one Neon connection per request (heartbeats and status reports: their writer objects' own). */
import type { App } from './app.js';
import { buildWorkerApp } from './worker-app.js';
import { withTestClock } from './lib/test-clock.js';
import { scheduledOnWorkers, type ExecutionContext, type ScheduledController } from './scheduled/workers.js';

export { PushHub } from './push/push-hub.js';
export { RateLimiter } from './limits/rate-limiter-do.js';
export { HeartbeatWriter } from './heartbeats/heartbeat-writer-do.js';
export { StatusWriter } from './reports/status-writer-do.js';

let appPromise: Promise<App> | undefined;

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: { waitUntil(p: Promise<unknown>): void }) {
    appPromise ??= buildWorkerApp(env);
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
