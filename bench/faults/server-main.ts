/**
 * One Fleetplane Node server in its own process, so a fault can kill it
 * (SIGKILL) and its CPU is apart from the load's. FAULTS_DRIVER=neon serves the
 * same app with the Neon driver (one connection per request, as on Workers)
 * through a local WebSocket-to-TCP pipe; otherwise node-postgres. Prints
 * `{"url": ...}` on stdout once listening.
 */
import { serve } from '@hono/node-server';
import { inlineRenderer } from '../../worker/rendering/renderer.js';
import { openNeon, useLocalWsProxy } from '../../db/neon.js';
import { startWsPipe } from '../../scripts/dev-worker/ws-pipe.js';
import { createApp } from '../../worker/app.js';
import { loadSigningKeys } from '../../worker/auth/signing-keys.js';
import { parseEnv } from '../../worker/env.js';
import { sha256Hex } from '../../worker/lib/crypto.js';
import { NodePush } from '../../worker/node/node-push.js';
import { startNodeServer } from '../../worker/node/server.js';
import { outboxOnly } from '../../worker/webhooks/deps.js';

const config = parseEnv({ ...process.env, PORT: '0' });
if (process.env.FAULTS_DRIVER === 'neon') {
  const pipe = await startWsPipe();
  useLocalWsProxy(pipe.proxy);
  const url = config.databaseUrl!;
  const app = createApp({
    db: {
      open: async () => {
        const { db, pool } = openNeon(url);
        return { db, release: () => pool.end() };
      },
    },
    keys: await loadSigningKeys(config.signingKey!),
    adminTokenHash: await sha256Hex(config.adminToken!),
    oidc: undefined,
    publicUrl: undefined,
    limits: config.limits,
    sourceOf: (c) => c.req.header('x-forwarded-for') ?? '127.0.0.1', // the fault script's own clients only
    renderer: inlineRenderer,
    now: () => new Date(),
    push: new NodePush(),
    webhooks: outboxOnly,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    console.log(JSON.stringify({ url: `http://127.0.0.1:${info.port}` }));
  });
  process.once('SIGTERM', () => server.close(() => void pipe.close().then(() => process.exit(0))));
} else {
  const running = await startNodeServer(config, '127.0.0.1');
  console.log(JSON.stringify({ url: running.url }));
  process.once('SIGTERM', () => void running.close().then(() => process.exit(0)));
}
