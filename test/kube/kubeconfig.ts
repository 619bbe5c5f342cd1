import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

/**
 * A kubeconfig for the test server. Plain http needs skipTLSVerify in the
 * cluster entry for @kubernetes/client-node; kubectl reads the same field as
 * insecure-skip-tls-verify.
 */
export function kubeconfigYaml(server: string, token?: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'test', user: token ? { token } : {} }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'test', namespace: 'default' } }],
    'current-context': 'test',
    preferences: {},
  });
}

export function kubeConfigObject(server: string, token?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(server, token));
  return kc;
}
