import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCluster, startCluster, startControlPlane, until, type ControlPlaneUnderTest } from './support.js';

const run = promisify(execFile);
const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port;
    s.close(() => resolve(port));
  });
});

let cp: ControlPlaneUnderTest;
let dir: string;
beforeAll(async () => {
  cp = await startControlPlane();
  dir = await mkdtemp(join(tmpdir(), 'fp-connector-bundle-'));
});
afterAll(async () => {
  await cp.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the connector as the image runs it', () => {
  it('the bundle, alone in a directory without node_modules, joins, applies an app and reports it Ready', async () => {
    const main = join(dir, 'main.mjs');
    await run(process.execPath, ['--import', 'tsx', 'connectors/build/bundle.ts', '--outfile', main], { cwd: process.cwd() });
    const c = await startCluster({ readyDelayMs: 10 });
    let child: ChildProcess | undefined;
    try {
      const { values, env } = await installCluster(cp, c.kube, 'acme', 'bundled');
      const kubeconfig = join(dir, 'kubeconfig.yaml');
      await writeFile(kubeconfig, c.server.kubeconfig());
      const healthPort = await freePort();
      let output = '';
      child = spawn(process.execPath, ['--max-semi-space-size=1', '--no-opt', main], {
        cwd: dir,
        env: {
          PATH: process.env.PATH, FLEETPLANE_URL: cp.url, FLEETPLANE_JOIN_TOKEN: values.FLEETPLANE_JOIN_TOKEN, KUBECONFIG: kubeconfig,
          FLEETPLANE_NAMESPACE: env.FLEETPLANE_NAMESPACE, FLEETPLANE_SECRET_NAME: env.FLEETPLANE_SECRET_NAME, FLEETPLANE_HEALTH_PORT: String(healthPort),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d: Buffer) => (output += d));
      child.stderr!.on('data', (d: Buffer) => (output += d));
      await until('ready', () => fetch(`http://127.0.0.1:${healthPort}/readyz`).then((r) => r.ok, () => false), 20_000).catch((e) => {
        throw new Error(`${(e as Error).message}\n${output}`);
      });
      const put = await cp.api('PUT', '/v1/tenants/acme/apps/cache', {
        spec: { template: { name: 'redis', version: '1.0.0', catalog: true }, namespace: 'cache', placement: { clusters: ['bundled'] } },
      });
      expect(put.status).toBe(201);
      await until('objects applied', () => c.server.store.get('apps/v1', 'StatefulSet', 'cache', 'cache') ?? c.server.store.get('apps/v1', 'Deployment', 'cache', 'cache'), 20_000);
      const app = await until('Ready at the API', async () => {
        const r = await cp.api('GET', '/v1/tenants/acme/apps/cache');
        return r.body.status.clusters?.[0]?.phase === 'Ready' ? r.body : undefined;
      }, 20_000);
      expect(app.status.clusters[0].resources.length).toBeGreaterThan(0);
      const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
      expect(metrics).toMatch(/^fleetplane_connector_owned_objects [1-9]/m);
    } finally {
      child?.kill('SIGTERM');
      await c.close();
    }
  }, 60_000);
});
