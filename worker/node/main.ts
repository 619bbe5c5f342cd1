/** `npm start`: the control plane on Node. */
import { ConfigError, parseEnv } from '../env.js';
import { startNodeServer } from './server.js';
import { tlsFromEnv } from './tls.js';

try {
  const config = parseEnv(process.env);
  const tls = await tlsFromEnv(process.env);
  const running = await startNodeServer(config, process.env.HOST ?? '127.0.0.1', { tls });
  console.log(`listening on ${running.url}`);
  if (running.generatedAdminToken) console.log(`admin token: ${running.generatedAdminToken}`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => void running.close().then(() => process.exit(0)));
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
