import { delimiter } from 'node:path';
// deep imports: the package index would pull every module of the library into the bundle
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';

/**
 * How to reach the API server, as @kubernetes/client-node reads it: KUBECONFIG
 * (a path list, merged as kubectl merges it; exec, auth-provider, token-file
 * and client-certificate users) or, when unset, the Pod's service account
 * (its token file is read again as the kubelet rotates it).
 */
export function loadKubeConfig(kubeconfig: string | undefined, serviceAccountRoot = ''): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfig) {
    // as kubectl: every file of the list merged, the first file's current context kept
    const [first, ...rest] = kubeconfig.split(delimiter).filter((f) => f.length > 0);
    kc.loadFromFile(first!);
    for (const file of rest) {
      const more = new KubeConfig();
      more.loadFromFile(file);
      kc.mergeConfig(more, true);
    }
  } else if (process.env.KUBERNETES_SERVICE_HOST && process.env.KUBERNETES_SERVICE_PORT) kc.loadFromCluster(serviceAccountRoot);
  else throw new Error('KUBECONFIG is unset and this is not a Pod (KUBERNETES_SERVICE_HOST/PORT are unset)');
  if (!kc.getCurrentCluster()) throw new Error('kubeconfig: the current context names no cluster');
  return kc;
}

/** A kubeconfig document given as YAML or JSON text (simulated clusters, tests). */
export function kubeConfigFromText(text: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(text);
  if (!kc.getCurrentCluster()) throw new Error('kubeconfig: the current context names no cluster');
  return kc;
}
