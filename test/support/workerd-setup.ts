import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { generatePrivateJwk } from '../../worker/auth/signing-keys.js';
import { createMigratedDatabase } from './postgres.js';
import { startWsPipe } from '../../scripts/dev-worker/ws-pipe.js';
import { startReceiver } from './webhook-receiver.js';

/** Bindings the worker under test (workerd project) gets as its env. */
export interface WorkerdEnv {
  DATABASE_URL: string;
  FLEETPLANE_NEON_WS_PROXY: string;
  FLEETPLANE_ADMIN_TOKEN: string;
  FLEETPLANE_SIGNING_KEY: string;
  /** webhooks go to the receiver below, on 127.0.0.1 */
  FLEETPLANE_WEBHOOK_ALLOW_PRIVATE: 'true';
  /** a webhook receiver the workerd tests drive over HTTP (test/support/webhook-receiver.ts) */
  WEBHOOK_RECEIVER_URL: string;
}

/**
 * Node-side half of the workerd project: a fresh, migrated database on the
 * machine's Postgres, a WebSocket-to-TCP pipe the Neon driver in workerd
 * reaches it through, and a webhook receiver. Skipped when the workerd project is not selected.
 */
export default async function setup(project: TestProject) {
  if (!project.vitest.projects.some((p) => p.name === 'workerd')) return;
  const database = await createMigratedDatabase();
  const pipe = await startWsPipe().catch(async (err) => {
    await database.drop();
    throw err;
  });
  const receiver = await startReceiver({ remote: true }).catch(async (err) => {
    await pipe.close();
    await database.drop();
    throw err;
  });
  const teardown = async () => {
    await receiver.close();
    await pipe.close();
    await database.drop();
  };
  try {
    project.provide('workerdEnv', {
      DATABASE_URL: database.url,
      FLEETPLANE_NEON_WS_PROXY: pipe.proxy,
      FLEETPLANE_ADMIN_TOKEN: `fp_${randomBytes(32).toString('base64url')}`,
      FLEETPLANE_SIGNING_KEY: JSON.stringify({ keys: [await generatePrivateJwk()] }),
      FLEETPLANE_WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RECEIVER_URL: `http://127.0.0.1:${receiver.port}`,
    });
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

declare module 'vitest' {
  export interface ProvidedContext {
    workerdEnv: WorkerdEnv;
  }
}
