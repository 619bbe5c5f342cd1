import { kindByName } from './kinds.js';
import type { StoreCore } from './store-core.js';

/**
 * What a fresh cluster already holds: its system namespaces, and its nodes
 * registered and Ready, as the kubelets would leave them.
 */
export function seedCluster(store: StoreCore, opts: { namespaces?: string[]; nodes?: number }): void {
  const nsInfo = kindByName('Namespace')!;
  for (const name of opts.namespaces ?? ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    store.insert(nsInfo, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, 'kube-apiserver');
  }
  const nodeInfo = kindByName('Node')!;
  for (let i = 1; i <= (opts.nodes ?? 1); i++) {
    const name = `node-${i}`;
    const node = store.insert(nodeInfo, {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
    }, 'kubelet');
    store.update(nodeInfo, node, {
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
        nodeInfo: { kubeletVersion: 'v1.32.0', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'containerd://1.7.0' },
        capacity: { cpu: '4', memory: '16Gi', pods: '110' },
        allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
      },
    }, { manager: 'kubelet', subresource: 'status' });
  }
}
