import cluster from 'node:cluster';
import { createServer, type AddressInfo } from 'node:net';
import type { Config } from '../env.js';
import { adminTokenFromDataDir, signingKeyFromDataDir } from './data-dir.js';

/** What a server process tells the primary once it listens. */
export interface Listening { fleetplane: 'listening'; url: string }

export const isListening = (m: unknown): m is Listening => (m as Listening | undefined)?.fleetplane === 'listening';

/** A process that died is started again after this pause: one that dies on start does not spin. */
const RESTART_DELAY_MS = 1000;

/**
 * `FLEETPLANE_PROCESSES=N`: N server processes share the port (node:cluster;
 * the primary hands out connections in turn), as one Node process runs
 * JavaScript on one core. They are replicas on one Postgres, as separate
 * `npm start`s would be: caches and watches follow NOTIFY, each batches its
 * own heartbeats, and each listens on an address of its own as well, where the
 * others forward gateway requests for the tunnels it holds. This process only
 * watches them: it prints where they listen once all do, starts again one that
 * dies and stops them all on SIGINT or SIGTERM.
 */
export async function runPrimary(config: Config, host: string): Promise<void> {
  // made once here, before any process reads them (each would otherwise make its own)
  if (!config.signingKey) await signingKeyFromDataDir(config.dataDir);
  const admin = config.adminToken || config.adminTokenSha256 ? undefined : await adminTokenFromDataDir(config.dataDir);
  // node:cluster closes the shared socket when no process holds it (all died at once, or one died before
  // the others listened); the next to listen on port 0 would get another port, and clients lose this one
  const env = config.port === 0 ? { PORT: String(await freePort(host)) } : {};
  let stopping = false;
  let started = false;
  const listening = new Promise<string>((resolve, reject) => {
    const ready = new Set<number>();
    cluster.on('message', (worker, m) => {
      if (!isListening(m) || started) return;
      ready.add(worker.id);
      if (ready.size === config.processes) resolve(m.url);
    });
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      // one that could not start (a bad database URL, a port in use): the others will not either
      if (!started) return reject(new Error(`a server process exited with ${signal ?? code} before all listened`));
      console.error(`server process ${worker.process.pid} exited with ${signal ?? code}; starting another`);
      setTimeout(() => !stopping && cluster.fork(env), RESTART_DELAY_MS);
    });
  });
  for (let i = 0; i < config.processes; i++) cluster.fork(env);
  const url = await listening;
  started = true;
  console.log(`listening on ${url} (${config.processes} processes)`);
  if (admin?.generated) console.log(`admin token: ${admin.generated}`);
  const stop = () => {
    stopping = true;
    const running = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    if (running.length === 0) process.exit(0);
    let left = running.length;
    for (const w of running) {
      w.once('exit', () => --left === 0 && process.exit(0));
      w.process.kill('SIGTERM');
    }
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, stop);
}

/** A port nobody listens on now, for the processes to share. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host }, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
