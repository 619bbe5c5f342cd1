import { afterAll, beforeAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '../../worker/env.js';
import { startNodeServer, type RunningServer } from '../../worker/node/server.js';

/**
 * The real Node server on a port of its own, its embedded database in a
 * fresh temp directory; `close` stops it and removes the directory.
 */
export async function startTempNodeServer(adminToken: string, env: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-node-'));
  const server: RunningServer = await startNodeServer(parseEnv({ PORT: '0', FLEETPLANE_DATA_DIR: dir, FLEETPLANE_ADMIN_TOKEN: adminToken, ...env }));
  return {
    server,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * startTempNodeServer for the tests of one file: started before them and
 * stopped after; `url` is set once it listens.
 */
export function nodeServerForFile(adminToken: string, env: Record<string, string> = {}) {
  const server = { url: '' };
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const running = await startTempNodeServer(adminToken, env);
    server.url = running.server.url;
    close = running.close;
  });
  afterAll(() => close?.());
  return server;
}
