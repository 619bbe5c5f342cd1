import type { KindInfo } from './kinds.js';

/**
 * What the apiserver itself fills in on write (not the controllers): a
 * Namespace's finalizer, phase and name label, a Service's cluster IP and node
 * ports, workload replica counts, the initial phase of PVCs and Pods, a
 * Secret's type, and its stringData folded into data (never stored). Values
 * allocated on create are carried over on later writes that omit them.
 */
let nextIp = 1;
let nextNodePort = 30000;
const allocateIp = () => { const n = nextIp++; return `10.96.${(n >> 8) & 255}.${n & 255}`; };

export function applyDefaults(info: KindInfo, obj: any, prev: any | undefined): void {
  switch (info.kind) {
    case 'Namespace':
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      obj.spec = { finalizers: ['kubernetes'], ...(obj.spec ?? {}) };
      obj.status ??= { phase: 'Active' };
      break;
    case 'Service': {
      const spec = (obj.spec ??= {});
      spec.type ??= 'ClusterIP';
      if (spec.type !== 'ExternalName') {
        spec.clusterIP ??= prev?.spec?.clusterIP ?? allocateIp();
        if (spec.clusterIP !== 'None') spec.clusterIPs ??= [spec.clusterIP];
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
        spec.internalTrafficPolicy ??= 'Cluster';
      }
      spec.sessionAffinity ??= 'None';
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        for (const port of spec.ports ?? []) {
          port.nodePort ??= prev?.spec?.ports?.find((p: any) => p.port === port.port)?.nodePort ?? nextNodePort++;
        }
      }
      obj.status ??= { loadBalancer: {} };
      break;
    }
    case 'Deployment':
    case 'StatefulSet':
      obj.spec ??= {};
      obj.spec.replicas ??= 1;
      break;
    case 'Secret':
      // write-only, as in the apiserver's conversion: each key overwrites data's, base64-encoded
      if (obj.stringData && typeof obj.stringData === 'object') {
        const folded = Object.entries(obj.stringData).map(([k, v]) => [k, Buffer.from(String(v), 'utf8').toString('base64')]);
        obj.data = { ...(obj.data ?? {}), ...Object.fromEntries(folded) };
      }
      delete obj.stringData;
      obj.type ??= 'Opaque';
      break;
    case 'PersistentVolumeClaim':
      obj.status ??= { phase: 'Pending' };
      break;
    case 'Pod':
      obj.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
      break;
  }
}
