/**
 * Memory of the connector holding 500 owned objects: the test Kubernetes API
 * server and the control plane (embedded database) in this process, the
 * connector as `npm run connector` starts it in a child process. Prints the
 * resident set size of the connector's process (and of the whole process tree
 * npm leaves running), once every object is applied and reported.
 *
 *   npx tsx bench/connector-memory.ts [--objects 500] [--settle 5]   (seconds of running after the first sync)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { parseEnv } from '../worker/env.js';
import { startNodeServer } from '../worker/node/server.js';
import { startKubeServer } from '../test/kube/server.js';

const { values: args } = parseArgs({ options: { objects: { type: 'string', default: '500' }, settle: { type: 'string', default: '5' } } });
const OBJECTS = Number(args.objects);
const PER_APP = 10;
const SETTLE_S = Number(args.settle);
if (!Number.isInteger(OBJECTS) || OBJECTS < 1 || !(SETTLE_S >= 0)) throw new Error('--objects must be a positive integer and --settle a number of seconds');
const ADMIN = `fp_${'b'.repeat(43)}`;

const MANIFESTS = [0, 1].map((i) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: '\${app.name}-${i}'}
spec:
  replicas: 2
  selector: {matchLabels: {app: '\${app.name}-${i}'}}
  template:
    metadata: {labels: {app: '\${app.name}-${i}'}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 8080, name: http}]
          resources: {requests: {cpu: 100m, memory: 64Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: '\${app.name}-${i}'}
spec:
  selector: {app: '\${app.name}-${i}'}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Secret
metadata: {name: '\${app.name}-${i}'}
stringData: {password: 'not-a-real-one'}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: '\${app.name}-${i}-a'}
data: {greeting: hello, region: '\${cluster.name}'}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: '\${app.name}-${i}-b'}
data: {settings: '{"level": "info", "features": ["a", "b", "c"]}'}
`).join('---\n');

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port;
    s.close(() => resolve(port));
  });
});

async function children(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [])) {
    const text = await readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '');
    for (const c of text.split(/\s+/).filter(Boolean).map(Number)) out.push(c, ...(await children(c)));
  }
  return out;
}
const rssKiB = async (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''))?.[1] ?? 0);
const cmdline = async (pid: number) => (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ').trim();

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-connector-bench-'));
  const kube = await startKubeServer({ readyDelayMs: 20 });
  const cp = await startNodeServer(parseEnv({ PORT: '0', FLEETPLANE_DATA_DIR: dir, FLEETPLANE_ADMIN_TOKEN: ADMIN, FLEETPLANE_RATE_LIMIT: '0', FLEETPLANE_CONNECTOR_RATE_LIMIT: '0', FLEETPLANE_AUTH_FAILURE_LIMIT: '0' }));
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${cp.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const b = await r.json().catch(() => undefined);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(b)}`);
    return b as any;
  };
  const kubeconfigPath = join(dir, 'kubeconfig.yaml');
  await writeFile(kubeconfigPath, kube.kubeconfig());
  let child: ReturnType<typeof spawn> | undefined;
  try {
    await api('PUT', '/v1/tenants/bench', { spec: { displayName: 'bench' } });
    await api('PUT', '/v1/tenants/bench/clusters/c1', { metadata: { labels: {} }, spec: {} });
    await api('PUT', '/v1/tenants/bench/templates/svc', { spec: { description: 'bench', category: 'bench' } });
    await api('PUT', '/v1/tenants/bench/templates/svc/versions/1.0.0', { spec: { parameters: { type: 'object' }, manifests: MANIFESTS } });
    const jt = await api('POST', '/v1/tenants/bench/clusters/c1/join-tokens', {});
    const manifest = await (await fetch(jt.installUrl.replace(/^https?:\/\/[^/]+/, cp.url))).text();
    const secret = parseAllDocuments(manifest).map((d) => d.toJSON()).find((d) => d.kind === 'Secret');
    const apps = Math.ceil(OBJECTS / PER_APP);
    for (let i = 0; i < apps; i++) {
      await api('PUT', `/v1/tenants/bench/apps/app-${i}`, { spec: { template: { name: 'svc', version: '1.0.0' }, namespace: `ns-${i % 10}`, values: {}, placement: { clusters: ['c1'] } } });
    }
    const healthPort = await freePort();
    const t0 = performance.now();
    child = spawn(process.env.BENCH_CMD ? 'sh' : 'npm', process.env.BENCH_CMD ? ['-c', process.env.BENCH_CMD] : ['run', '--silent', 'connector'], {
      env: {
        ...process.env, FLEETPLANE_URL: cp.url, FLEETPLANE_JOIN_TOKEN: secret.stringData.FLEETPLANE_JOIN_TOKEN, KUBECONFIG: kubeconfigPath,
        FLEETPLANE_HEALTH_PORT: String(healthPort),
      },
      stdio: ['ignore', process.env.BENCH_TRACE ? 'inherit' : 'ignore', 'inherit'], detached: true,
    });
    const metric = async (name: string) => {
      const text = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
      return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    };
    let ready = false;
    for (let i = 0; i < 600 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 250));
      ready = await fetch(`http://127.0.0.1:${healthPort}/readyz`).then((r) => r.ok, () => false) && (await metric('fleetplane_connector_owned_objects')) >= OBJECTS;
    }
    if (!ready) throw new Error('the connector did not apply every object in time');
    const appliedMs = performance.now() - t0;
    const owned = kube.store.all().filter((o: any) => o.metadata?.labels?.['fleetplane.io/tenant'] === 'bench' && o.metadata?.labels?.['fleetplane.io/app']).length;
    // let the watches settle and the reports go out, then measure
    await new Promise((r) => setTimeout(r, SETTLE_S * 1000));
    const tree = [child.pid!, ...(await children(child.pid!))];
    const rows = await Promise.all(tree.map(async (pid) => ({ pid, rssMiB: (await rssKiB(pid)) / 1024, cmd: (await cmdline(pid)).slice(0, 90) })));
    const connector = rows.filter((r) => /\bnode\b/.test(r.cmd)).at(-1)!;
    console.log(`objects owned in the cluster: ${owned} (${apps} apps); first sync after start: ${(appliedMs / 1000).toFixed(1)} s`);
    for (const r of rows) console.log(`  pid ${r.pid}  ${r.rssMiB.toFixed(1).padStart(6)} MiB  ${r.cmd}`);
    console.log(`connector process RSS: ${connector.rssMiB.toFixed(1)} MiB (limit 80 MiB); whole tree under npm: ${rows.reduce((a, r) => a + r.rssMiB, 0).toFixed(1)} MiB`);
  } finally {
    if (child?.pid) process.kill(-child.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await kube.close();
    await cp.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
