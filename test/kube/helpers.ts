import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeServer } from './server.js';

/** Test helpers over the real client: apply as a manager, and read an ApiException's Status body. */
export function objectApi(server: KubeServer): KubernetesObjectApi {
  return KubernetesObjectApi.makeApiClient(server.kubeConfigObject());
}

export function apply<T extends KubernetesObject>(api: KubernetesObjectApi, obj: T, manager: string, force?: boolean): Promise<T> {
  return api.patch(obj, undefined, undefined, manager, force, PatchStrategy.ServerSideApply) as Promise<T>;
}

/** The Status an ApiException carries (KubernetesObjectApi gives the body as text, typed APIs as an object). */
export async function statusOf(p: Promise<unknown>): Promise<{ code: number; status: any }> {
  try {
    await p;
  } catch (e: any) {
    if (typeof e?.code !== 'number') throw e;
    return { code: e.code, status: typeof e.body === 'string' ? JSON.parse(e.body) : e.body };
  }
  throw new Error('expected the request to fail');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value (not undefined/false) or the time runs out. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

export const deployment = (name: string, namespace = 'default', extra: { replicas?: number; image?: string; labels?: Record<string, string> } = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { app: name, ...(extra.labels ?? {}) } },
  spec: {
    replicas: extra.replicas ?? 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: extra.image ?? 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    },
  },
});

export const configMap = (name: string, namespace: string, data: Record<string, string>, labels?: Record<string, string>) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...(labels ? { labels } : {}) }, data,
});
