import { serve, type ServerType } from '@hono/node-server';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '../worker/env.js';
import { startNodeServer } from '../worker/node/server.js';
import { bareApp, HOST } from './bare-app.js';
import type { StartedMessage, StartMessage } from './server-process.js';

export { HOST } from './bare-app.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

const closeServer = (s: ServerType) => new Promise<void>((r) => s.close(() => r()));

/** The baseline (bench/bare-app.ts) in the bench's own process. */
export async function startBare(): Promise<Running> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: bareApp().fetch, port: 0, hostname: HOST }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://${HOST}:${port}`, close: () => closeServer(server) };
}

/** The baseline in a child process of its own, as spawnFleetplane runs the server it is compared with. */
export async function spawnBare(): Promise<Running & { pid: number }> {
  const child = fork(new URL('./bare-process.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve(m as number));
    child.once('exit', (code) => reject(new Error(`the bare server process exited with code ${code} before it started`)));
  });
  return {
    url: `http://${HOST}:${port}`,
    pid: child.pid!,
    close: async () => {
      if (child.exitCode === null) child.send('stop');
      await exited;
    },
  };
}

export interface RunningFleetplane extends Running {
  adminToken: string;
}

/**
 * The real Node server with the rate limit off, on a fresh temp data dir:
 * embedded PGlite when `databaseUrl` is undefined, node-postgres otherwise.
 * `env` adds variables (e.g. FLEETPLANE_SIGNING_KEY).
 */
export async function startFleetplane(databaseUrl?: string, env: Record<string, string> = {}): Promise<RunningFleetplane> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fleetplane-bench-'));
  const adminToken = `fp_${randomBytes(32).toString('base64url')}`;
  try {
    const config = parseEnv({
      FLEETPLANE_DATA_DIR: dataDir,
      FLEETPLANE_ADMIN_TOKEN: adminToken,
      FLEETPLANE_RATE_LIMIT: '0', FLEETPLANE_CONNECTOR_RATE_LIMIT: '0', FLEETPLANE_AUTH_FAILURE_LIMIT: '0',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      ...env,
    });
    const running = await startNodeServer(config, HOST);
    return {
      url: running.url,
      adminToken,
      close: async () => {
        try {
          await running.close();
        } finally {
          await rm(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * startFleetplane in a child process (bench/server-process.ts), for parts whose
 * figures should not include the bench's own work on the server's event loop.
 * Its output goes to stderr, so the report on stdout stays clean.
 */
export async function spawnFleetplane(
  databaseUrl?: string, env: Record<string, string> = {}, execArgv: string[] = [],
): Promise<RunningFleetplane & { pid: number }> {
  const child = fork(new URL('./server-process.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx', ...execArgv], stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  child.stdout!.pipe(process.stderr);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const started = await new Promise<StartedMessage>((resolve, reject) => {
    child.once('message', (m) => resolve(m as StartedMessage));
    child.once('exit', (code) => reject(new Error(`the server process exited with code ${code} before it started`)));
    child.send({ databaseUrl, env } satisfies StartMessage);
  });
  if ('error' in started) throw new Error(`the server process failed to start: ${started.error}`);
  return {
    url: started.url,
    adminToken: started.adminToken,
    pid: child.pid!,
    close: async () => {
      if (child.exitCode === null) child.send('stop');
      await exited;
    },
  };
}
