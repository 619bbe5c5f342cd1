/** `npm start`: the control plane on Node (in FLEETPLANE_PROCESSES processes, see processes.ts). */
import cluster from 'node:cluster';
import { ConfigError, parseEnv } from '../env.js';
import { runPrimary, type Listening } from './processes.js';
import { startNodeServer } from './server.js';
import { tlsFromEnv } from './tls.js';

try {
  const config = parseEnv(process.env);
  const host = process.env.HOST ?? '127.0.0.1';
  if (config.processes > 1 && cluster.isPrimary) await runPrimary(config, host);
  else {
    const tls = await tlsFromEnv(process.env);
    const running = await startNodeServer(config, host, { tls });
    if (cluster.isWorker) process.send!({ fleetplane: 'listening', url: running.url } satisfies Listening);
    else {
      console.log(`listening on ${running.url}`);
      if (running.generatedAdminToken) console.log(`admin token: ${running.generatedAdminToken}`);
    }
    let stopping: Promise<void> | undefined;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      // a terminal's Ctrl-C reaches every process of a cluster, and the primary sends SIGTERM as well
      process.once(sig, () => void (stopping ??= running.close().then(() => process.exit(0))));
    }
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
