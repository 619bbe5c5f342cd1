import { Agent } from './agent.js';
import { ConfigError, parseConfig } from './config.js';
import { SecretCredentialStore } from './credential-store.js';
import { startHealthServer } from './health-server.js';
import { KubeClient } from './kube/client.js';
import { tokenFromFile } from './gateway.js';
import { loadKubeConfig } from './kube/kubeconfig.js';
import { jsonLog } from './log.js';
import { createMetrics } from './metrics.js';

/** `npm run connector`: the in-cluster agent (the image the install manifest runs). */
async function main() {
  const config = parseConfig(process.env);
  const log = jsonLog({ component: 'connector' });
  const kube = new KubeClient(loadKubeConfig(config.kubeconfig));
  const metrics = createMetrics();
  const agent = new Agent({
    url: config.url, joinToken: config.joinToken, namespace: config.namespace, kube,
    store: new SecretCredentialStore(kube, config.namespace, config.secretName), metrics, log, resyncSeconds: config.resyncSeconds,
    gatewayToken: tokenFromFile(config.gatewayTokenFile),
  });
  const health = await startHealthServer(config.healthPort, () => agent.readiness(), metrics.registry);
  log('info', 'connector started', { controlPlane: config.url, healthPort: health.port, namespace: config.namespace });
  const shutdown = async (signal: string) => {
    log('info', 'stopping: everything applied stays as it is', { signal });
    await agent.close();
    health.server.close();
    kube.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await agent.run();
  if (agent.revoked) log('error', 'not running: the control plane does not accept this connector; /readyz says why');
}

main().catch((e) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`connector failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
