import { Agent } from './agent.js';
import { MemoryCredentialStore, SecretCredentialStore } from './credential-store.js';
import { KubeClient } from './kube/client.js';
import { kubeConfigFromText } from './kube/kubeconfig.js';
import { silentLog, type Log } from './log.js';
import { createMetrics } from './metrics.js';

export interface SimulateOptions {
  /** the control plane */
  url: string;
  /** one join token per simulated cluster */
  joinTokens: string[];
  /** one API server per join token (e.g. the test API server's kubeconfig()), as kubeconfig YAML */
  kubeconfigs: string[];
  /** keep credentials in each cluster's Secret (as in production) or in memory (default) */
  credentials?: 'secret' | 'memory';
  namespace?: string;
  resyncSeconds?: number;
  reportDebounceMs?: number;
  log?: Log;
}

export interface Simulation {
  agents: Agent[];
  /** how many connectors are registered and synced */
  ready(): number;
  /** the applied revision of each connector (undefined before its first sync) */
  applied(): (number | undefined)[];
  stop(): Promise<void>;
}

/**
 * N connectors in one process, each against its own API server: the same
 * agent code as `npm run connector`, for benchmarks of the fleet path
 * (distribution latency from an app PUT to "applied" and to "status visible").
 */
export async function simulate(o: SimulateOptions): Promise<Simulation> {
  if (o.joinTokens.length !== o.kubeconfigs.length) throw new Error('simulate: one kubeconfig per join token');
  const namespace = o.namespace ?? 'fleetplane-system';
  const kubes: KubeClient[] = [];
  const agents = o.joinTokens.map((joinToken, i) => {
    const kube = new KubeClient(kubeConfigFromText(o.kubeconfigs[i]!));
    kubes.push(kube);
    return new Agent({
      url: o.url, joinToken, namespace, kube,
      store: o.credentials === 'secret' ? new SecretCredentialStore(kube, namespace, 'fleetplane-connector') : new MemoryCredentialStore(),
      metrics: createMetrics({ cluster: String(i) }), log: o.log ?? silentLog,
      resyncSeconds: o.resyncSeconds ?? 300, reportDebounceMs: o.reportDebounceMs ?? 50,
    });
  });
  const running = agents.map((a) => a.run().catch((e) => (o.log ?? silentLog)('error', 'simulated connector stopped', { error: (e as Error).message })));
  return {
    agents,
    ready: () => agents.filter((a) => a.ready).length,
    applied: () => agents.map((a) => a.appliedRevision),
    async stop() {
      await Promise.all(agents.map((a) => a.close()));
      await Promise.allSettled(running);
      for (const k of kubes) k.close();
    },
  };
}
