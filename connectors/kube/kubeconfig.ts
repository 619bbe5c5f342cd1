import { readFileSync } from 'node:fs';

/** How to reach and authenticate to the API server. */
export interface KubeTarget {
  server: string;
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  insecure: boolean;
  /** the bearer token, read again on every call: in-cluster tokens are rotated by the kubelet */
  token: () => string | undefined;
}

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The Pod's own service account, as client-go's rest.InClusterConfig reads it. */
export function inCluster(env: Record<string, string | undefined> = process.env): KubeTarget {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new Error('KUBECONFIG is unset and this is not a Pod (KUBERNETES_SERVICE_HOST/PORT are unset)');
  let cached = { at: 0, token: '' };
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca: readFileSync(`${SA}/ca.crt`),
    insecure: false,
    token: () => {
      if (Date.now() - cached.at > 60_000) cached = { at: Date.now(), token: readFileSync(`${SA}/token`, 'utf8').trim() };
      return cached.token;
    },
  };
}

type Named<T> = { name: string } & T;
interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: Named<{ context: { cluster: string; user: string } }>[];
  clusters?: Named<{ cluster: Record<string, unknown> }>[];
  users?: Named<{ user: Record<string, unknown> }>[];
}

const fileOrData = (data: unknown, file: unknown): Buffer | undefined => {
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  if (typeof file === 'string' && file) return readFileSync(file);
  return undefined;
};

/** A kubeconfig document (YAML or JSON text): its current context's cluster and user. */
export function fromKubeconfigDoc(doc: KubeconfigDoc): KubeTarget {
  const ctxName = doc['current-context'];
  const ctx = doc.contexts?.find((c) => c.name === ctxName) ?? doc.contexts?.[0];
  if (!ctx) throw new Error('kubeconfig has no context');
  const cluster = doc.clusters?.find((c) => c.name === ctx.context.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== 'string') throw new Error(`kubeconfig: cluster "${ctx.context.cluster}" has no server`);
  const user = doc.users?.find((u) => u.name === ctx.context.user)?.user ?? {};
  if (user.exec || user['auth-provider']) {
    throw new Error('kubeconfig: exec and auth-provider users are not supported; use a token, a token file or a client certificate');
  }
  const basic = typeof user.username === 'string' ? Buffer.from(`${user.username}:${String(user.password ?? '')}`).toString('base64') : undefined;
  const tokenFile = typeof user.tokenFile === 'string' ? user.tokenFile : undefined;
  const token = typeof user.token === 'string' ? user.token : undefined;
  return {
    server: cluster.server.replace(/\/+$/, ''),
    ca: fileOrData(cluster['certificate-authority-data'], cluster['certificate-authority']),
    cert: fileOrData(user['client-certificate-data'], user['client-certificate']),
    key: fileOrData(user['client-key-data'], user['client-key']),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    token: () => token ?? (tokenFile ? readFileSync(tokenFile, 'utf8').trim() : basic ? `basic:${basic}` : undefined),
  };
}

/** KUBECONFIG (the first file of a list), else the in-cluster service account. */
export async function loadKubeTarget(kubeconfig: string | undefined): Promise<KubeTarget> {
  if (!kubeconfig) return inCluster();
  const first = kubeconfig.split(':').find((p) => p.length > 0)!;
  const text = readFileSync(first, 'utf8');
  const { parse } = await import('yaml');
  return fromKubeconfigDoc(parse(text) as KubeconfigDoc);
}
