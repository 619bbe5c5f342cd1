import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { Authorizer, seedDefaultRoles, type Identity } from './authz.js';
import { Controller } from './controller.js';
import { PodLogs } from './pod-logs.js';
import { handle, type HandlerContext } from './http-handler.js';
import { kubeConfigObject, kubeconfigYaml } from './kubeconfig.js';
import { KubeStore } from './store.js';

/**
 * An in-process Kubernetes API server for tests: the real REST protocol over
 * node:http on 127.0.0.1, an in-memory KubeStore, and a controller that gives
 * workloads a status.
 */
export interface KubeServer {
  url: string;
  kubeconfig(): string;
  kubeConfigObject(): KubeConfig;
  store: {
    get(apiVersion: string, kind: string, namespace: string | undefined, name: string): any | undefined;
    list(apiVersion: string, kind: string, namespace?: string): any[];
    all(): any[];
  };
  controller: {
    auto: boolean;
    makeReady(kind: string, namespace: string, name: string): void;
    fail(kind: string, namespace: string, name: string, message?: string): void;
    promote(namespace: string, name: string): void;
  };
  requests: HandlerContext['requests'];
  /** what the pods' containers printed: `append(namespace, pod, container, line)` */
  logs: PodLogs;
  close(): Promise<void>;
}

export interface KubeServerOptions {
  token?: string;
  autoReady?: boolean;
  readyDelayMs?: number;
  port?: number;
  /** Changes kept for watch resumption; older resourceVersions get 410 Expired. */
  historyLimit?: number;
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK. */
  bookmarkIntervalMs?: number;
  /** The most entries `requests` keeps (oldest dropped first). */
  requestLogLimit?: number;
  /** How long a deleted Namespace stays Terminating before it and its contents go. */
  namespaceFinalizeDelayMs?: number;
  /** Images whose pods never turn ready (a bad tag): workloads running them stay progressing. */
  stuckImages?: string[];
  /**
   * Bearer tokens and who they are: turns on authentication by these tokens,
   * impersonation and RBAC, with the default view, edit and admin ClusterRoles
   * seeded (`token`, if given too, is then one of them: system:masters).
   */
  identities?: Record<string, Identity>;
  /** paths answered `302 Found` to a location */
  redirects?: Record<string, string>;
}

export async function startKubeServer(opts: KubeServerOptions = {}): Promise<KubeServer & { kubeStore: KubeStore }> {
  const kubeStore = new KubeStore({ historyLimit: opts.historyLimit, namespaceFinalizeDelayMs: opts.namespaceFinalizeDelayMs });
  const controller = new Controller(kubeStore, { auto: opts.autoReady ?? true, delayMs: opts.readyDelayMs ?? 0, stuckImages: opts.stuckImages });
  const open = new Set<ServerResponse>();
  let authz: Authorizer | undefined;
  if (opts.identities) {
    seedDefaultRoles(kubeStore);
    authz = new Authorizer(kubeStore, { ...opts.identities, ...(opts.token ? { [opts.token]: { user: 'admin', groups: ['system:masters'] } } : {}) });
  }
  const ctx: HandlerContext = {
    store: kubeStore, token: opts.token, authz, redirects: opts.redirects, logs: new PodLogs(), requests: [], requestLogLimit: opts.requestLogLimit ?? 10_000,
    watch: { bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 3000, open },
  };
  const server = createServer((req, res) => void handle(ctx, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

  return {
    url,
    kubeStore,
    kubeconfig: () => kubeconfigYaml(url, opts.token),
    kubeConfigObject: () => kubeConfigObject(url, opts.token),
    store: {
      get: (apiVersion, kind, namespace, name) => clone(kubeStore.get(apiVersion, kind, namespace, name)),
      list: (apiVersion, kind, namespace) => clone(kubeStore.list(apiVersion, kind, namespace)),
      all: () => clone(kubeStore.all()),
    },
    controller,
    requests: ctx.requests,
    logs: ctx.logs!,
    async close() {
      controller.close();
      kubeStore.dispose();
      for (const res of open) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
