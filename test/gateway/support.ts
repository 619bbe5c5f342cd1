import { spawn, type ChildProcess, execFile } from 'node:child_process';
import { request } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { KubeClient } from '../../connectors/kube/client.js';
import { kubeConfigFromText } from '../../connectors/kube/kubeconfig.js';
import { parseEnv } from '../../worker/env.js';
import { startNodeServer } from '../../worker/node/server.js';
import { startKubeServer, type KubeServerOptions } from '../kube/server.js';
import { until } from '../connector/support.js';
import { startProcess } from '../support/start-process.js';
import { makeTestCa, type IssuedCert } from '../support/test-ca.js';

export const ADMIN = `fp_${'g'.repeat(43)}`;
const KUBE_ADMIN = 'kube-admin-token';
const GATEWAY_TOKEN = 'gateway-sa-token';
export const GATEWAY_USER = 'system:serviceaccount:fleetplane-system:fleetplane-gateway';
const run = promisify(execFile);

/** A request over HTTPS trusting the test CA: status, headers and the body (parsed when JSON). */
export function httpsCall(ca: string) {
  return (method: string, url: string, o: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>((resolve, reject) => {
      const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
      const req = request(url, {
        method, ca,
        headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(payload ? { 'content-type': 'application/json' } : {}), ...o.headers },
      }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let body: any = text;
          try { body = text ? JSON.parse(text) : undefined; } catch { /* text */ }
          resolve({ status: res.statusCode!, headers: res.headers, body });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
}

/** Starts the control plane over HTTPS with this certificate; answers where it listens. */
export type ControlPlaneStarter = (o: { dir: string; ca: string; cert: IssuedCert; env: Record<string, string> }) => Promise<{ url: string; close(): Promise<unknown> }>;

/**
 * `npm start`'s entry in a process of its own over HTTPS with the stack's certificate, on the shared
 * Postgres at `databaseUrl` (a replica): `more` adds its variables (its data dir, its signing key).
 */
export const startHttpsProcess = (o: Parameters<ControlPlaneStarter>[0], databaseUrl: string, more: Record<string, string>) => startProcess({
  ...o.env, DATABASE_URL: databaseUrl, FLEETPLANE_TLS_CERT: o.cert.certPath, FLEETPLANE_TLS_KEY: o.cert.keyPath, NODE_EXTRA_CA_CERTS: o.ca, ...more,
});

const inProcess: ControlPlaneStarter = ({ dir, cert, env }) =>
  startNodeServer(parseEnv({ PORT: '0', FLEETPLANE_DATA_DIR: join(dir, 'data'), ...env }), '127.0.0.1', { tls: { cert: cert.cert, key: cert.key } });

/**
 * The whole gateway path for real: the control plane over HTTPS (a CA of the
 * test's own), a cluster's API server with RBAC and impersonation, the
 * install manifest's RBAC applied there, and the real connector in a process
 * of its own trusting the CA as an operator would (NODE_EXTRA_CA_CERTS).
 */
export async function startGatewayStack(
  kubeOptions: KubeServerOptions = {}, controlPlane: ControlPlaneStarter = inProcess,
  /** how the connector process starts (default: its TypeScript entry through tsx); a bench runs the bundle as the image does */
  connector: { argv: string[]; env?: Record<string, string> } = { argv: ['--import', 'tsx', 'connectors/main.ts'] },
) {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-gateway-'));
  const ca = await makeTestCa(dir);
  const cert = await ca.issue('server');
  const cp = await controlPlane({ dir, ca: ca.caPath, cert, env: {
    FLEETPLANE_ADMIN_TOKEN: ADMIN, FLEETPLANE_RATE_LIMIT: '0', FLEETPLANE_CONNECTOR_RATE_LIMIT: '0', FLEETPLANE_AUTH_FAILURE_LIMIT: '0',
  } });
  const call = httpsCall(ca.caCert);
  const api = (method: string, path: string, body?: unknown, token = ADMIN) => call(method, `${cp.url}${path}`, { token, body });

  const children: ChildProcess[] = [];
  const clusters: { kube: Awaited<ReturnType<typeof startKubeServer>>; kubeClient: KubeClient }[] = [];

  /** A cluster's own API server, with RBAC and impersonation, the gateway's token among its identities. */
  async function startCluster() {
    const kube = await startKubeServer({
      token: KUBE_ADMIN, readyDelayMs: 0, ...kubeOptions,
      identities: { [GATEWAY_TOKEN]: { user: GATEWAY_USER, groups: ['system:serviceaccounts', 'system:serviceaccounts:fleetplane-system', 'system:authenticated'] } },
    });
    const cluster = { kube, kubeClient: new KubeClient(kubeConfigFromText(kube.kubeconfig())) };
    clusters.push(cluster);
    return cluster;
  }
  const first = await startCluster();

  /**
   * A cluster at the API, its install manifest applied (its RBAC included), and its connector running;
   * on the first API server unless another is given.
   */
  async function joinCluster(tenant: string, name: string, on = first) {
    const { kube, kubeClient } = on;
    await api('PUT', `/v1/tenants/${tenant}`, { spec: { displayName: tenant } });
    await api('PUT', `/v1/tenants/${tenant}/clusters/${name}`, { metadata: { labels: {} }, spec: {} });
    const jt = await api('POST', `/v1/tenants/${tenant}/clusters/${name}/join-tokens`, {});
    const docs = parseAllDocuments((await call('GET', jt.body.installUrl)).body).map((d) => d.toJSON());
    for (const d of docs.filter((x) => x.kind !== 'Deployment' && !(x.kind === 'Secret' && x.type === 'kubernetes.io/service-account-token'))) {
      await kubeClient.apply(d, true, 'kubectl');
    }
    const secret = docs.find((d) => d.kind === 'Secret' && d.type === 'Opaque');
    const kubeconfig = join(dir, `${name}.kubeconfig`);
    const tokenFile = join(dir, `${name}.gateway-token`);
    await writeFile(kubeconfig, kube.kubeconfig());
    await writeFile(tokenFile, GATEWAY_TOKEN);
    let output = '';
    const child = spawn(process.execPath, connector.argv, {
      env: {
        PATH: process.env.PATH, ...connector.env, NODE_EXTRA_CA_CERTS: ca.caPath, FLEETPLANE_URL: cp.url, FLEETPLANE_JOIN_TOKEN: secret.stringData.FLEETPLANE_JOIN_TOKEN,
        KUBECONFIG: kubeconfig, FLEETPLANE_HEALTH_PORT: '0', FLEETPLANE_GATEWAY_TOKEN_FILE: tokenFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    children.push(child);
    // connected: the gateway answers (a 503 until the connector's socket is open)
    await until('the connector carries the gateway', async () =>
      (await api('GET', `/v1/tenants/${tenant}/clusters/${name}/proxy/version`)).status === 200, 30_000).catch((e) => {
      throw new Error(`${(e as Error).message}\n${output}`);
    });
    return { ...on, pid: child.pid!, output: () => output };
  }

  /** A tenant API token with this role. */
  async function token(tenant: string, role: string, description: string) {
    const r = await api('POST', `/v1/tenants/${tenant}/tokens`, { spec: { role, description } });
    if (r.status !== 201) throw new Error(`token: ${r.status} ${JSON.stringify(r.body)}`);
    return { token: r.body.token as string, name: r.body.metadata.name as string };
  }

  /** Real kubectl through the gateway. */
  const kubectl = (tenant: string, cluster: string, tokenValue: string, args: string[]) =>
    run('kubectl', [
      '--server', `${cp.url}/v1/tenants/${tenant}/clusters/${cluster}/proxy`, '--certificate-authority', ca.caPath, '--token', tokenValue,
      '--kubeconfig', '/dev/null', ...args,
    ], { timeout: 30_000 }).then((r) => ({ code: 0, ...r }), (e) => ({ code: (e.code as number) ?? 1, stdout: e.stdout as string, stderr: e.stderr as string }));

  /** kubectl left running (a watch), with its output so far. */
  function kubectlBackground(tenant: string, cluster: string, tokenValue: string, args: string[]) {
    const child = spawn('kubectl', [
      '--server', `${cp.url}/v1/tenants/${tenant}/clusters/${cluster}/proxy`, '--certificate-authority', ca.caPath, '--token', tokenValue,
      '--kubeconfig', '/dev/null', ...args,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    children.push(child);
    return { child, out: () => out };
  }

  return {
    cp, kube: first.kube, kubeClient: first.kubeClient, startCluster, api, call, ca, dir, joinCluster, token, kubectl, kubectlBackground,
    async close() {
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
      for (const c of clusters) {
        c.kubeClient.close();
        await c.kube.close();
      }
      await cp.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
