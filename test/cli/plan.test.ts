import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from './support.js';

let s: Server;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

/** A copy of examples/ with one replacement made in one file. */
async function edited(file: string, from: string, to: string) {
  const dir = await mkdtemp(join(s.dir, 'plan-'));
  await cp('examples', dir, { recursive: true });
  const path = join(dir, file);
  const text = await readFile(path, 'utf8');
  expect(text).toContain(from);
  await writeFile(path, text.replace(from, to));
  return dir;
}

describe('fleetplane plan', () => {
  it('exit 2 with what would be created, and writes nothing', async () => {
    const r = await s.run(['plan', '-f', 'examples/']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('+ cluster/edge-eu-1 will be created');
    expect(r.stdout).toContain('+ app/storefront will be created');
    expect(r.stdout).toMatch(/^\+ {5}region: eu$/m);
    expect((await s.api('GET', '/v1/tenants/acme/clusters/edge-eu-1')).status).toBe(404);
    expect((await s.api('GET', '/v1/tenants/acme/templates/web')).status).toBe(404);
  });

  it('exit 0 when the server holds what the files say, with each app’s clusters unchanged', async () => {
    expect((await s.run(['apply', '-f', 'examples/'])).code).toBe(0);
    const r = await s.run(['plan', '-f', 'examples/']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  cluster/edge-eu-1 unchanged');
    expect(r.stdout).toContain('  app/storefront unchanged');
    expect(r.stdout).toContain('2 clusters unchanged');
  });

  it('shows a change made through the API as drift, with a diff (exit 2)', async () => {
    const put = await s.api('PUT', '/v1/tenants/acme/clusters/edge-us-1', {
      metadata: { labels: { env: 'prod', region: 'us-east' } }, spec: { description: 'Edge cluster in Virginia' },
    });
    expect(put.status).toBe(200);
    const r = await s.run(['plan', '-f', 'examples/']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("~ cluster/edge-us-1 will be updated (the server's copy differs from the file)");
    expect(r.stdout).toMatch(/^ {4}- {4}region: us-east$/m);
    expect(r.stdout).toMatch(/^ {4}\+ {4}region: us$/m);
    expect(r.stdout).toContain('  cluster/edge-eu-1 unchanged');
    expect((await s.api('GET', '/v1/tenants/acme/clusters/edge-us-1')).body.metadata.labels.region).toBe('us-east');
    expect((await s.run(['apply', '-f', 'examples/clusters.yaml'])).stdout).toContain('cluster/edge-us-1 updated');
    expect((await s.run(['plan', '-f', 'examples/'])).code).toBe(0);
  });

  it('for an app, shows the server’s per-cluster plan: only the overridden cluster changes', async () => {
    const dir = await edited('app-storefront.yaml', 'replicas: 4', 'replicas: 6');
    const r = await s.run(['plan', '-f', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('~ app/storefront will be updated');
    expect(r.stdout).toContain('cluster edge-eu-1: update');
    expect(r.stdout).not.toContain('cluster edge-us-1: update');
    expect(r.stdout).toContain('1 cluster unchanged');
    expect(r.stdout).toMatch(/^ {6}-\s+replicas: 4$/m);
    expect(r.stdout).toMatch(/^ {6}\+\s+replicas: 6$/m);
    expect((await s.api('GET', '/v1/tenants/acme/apps/storefront')).body.spec.overrides[0].values.replicas).toBe(4);
  });

  it('exit 1 for a bad document or a spec the server refuses, still planning the rest', async () => {
    const dir = await edited('clusters.yaml', 'kind: Cluster\nmetadata:\n  name: edge-us-1', 'kind: Clustr\nmetadata:\n  name: edge-us-1');
    const r = await s.run(['plan', '-f', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'clusters.yaml')} (document 2)`);
    expect(r.stdout).toContain('  app/storefront unchanged');
    const refused = await edited('app-storefront.yaml', 'replicas: 2', 'replicas: 200');
    const bad = await s.run(['plan', '-f', refused]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${join(refused, 'app-storefront.yaml')} (document 1): app/storefront`);
    expect(bad.stderr).toMatch(/replicas/);
  });
});
