import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines, startServer, type Server } from './support.js';

const OBJECTS = [
  ['cluster/edge-eu-1', '/clusters/edge-eu-1'],
  ['cluster/edge-us-1', '/clusters/edge-us-1'],
  ['template/web', '/templates/web'],
  ['templateversion/web@1.0.0', '/templates/web/versions/1.0.0'],
  ['namespace/shop', '/namespaces/shop'],
  ['app/storefront', '/apps/storefront'],
] as const;

let s: Server;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

const versions = async () =>
  Promise.all(OBJECTS.map(async ([, path]) => (await s.api('GET', `/v1/tenants/acme${path}`)).body?.metadata?.resourceVersion as string));

describe('fleetplane apply', () => {
  it('applies examples/ in order, then a second time changes nothing and says unchanged', async () => {
    const first = await s.run(['apply', '-f', 'examples/']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(lines(first.stdout)).toEqual(OBJECTS.map(([label]) => `${label} created`));
    const before = await versions();
    expect(before.every((v) => /^\d+$/.test(v))).toBe(true);
    const app = (await s.api('GET', '/v1/tenants/acme/apps/storefront')).body;
    expect(app.spec.overrides[0]).toEqual({ clusters: ['edge-eu-1'], values: { replicas: 4, greeting: 'hallo' } });
    expect(app.status.summary.clusters).toBe(2);

    const second = await s.run(['apply', '-f', 'examples/']);
    expect(second.code).toBe(0);
    expect(lines(second.stdout)).toEqual(OBJECTS.map(([label]) => `${label} unchanged`));
    expect(await versions()).toEqual(before);
  });

  it('updates what differs, with If-Match, and leaves the rest alone', async () => {
    const dir = await mkdtemp(join(s.dir, 'edit-'));
    await cp('examples', dir, { recursive: true });
    const file = join(dir, 'clusters.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Edge cluster in Frankfurt', 'Edge cluster in Berlin'));
    const before = await versions();
    const r = await s.run(['apply', '-f', dir]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)[0]).toBe('cluster/edge-eu-1 updated');
    expect(lines(r.stdout).slice(1).every((l) => l.endsWith(' unchanged'))).toBe(true);
    const after = await versions();
    expect(after[0]).not.toBe(before[0]);
    expect(after.slice(1)).toEqual(before.slice(1));
    expect((await s.api('GET', '/v1/tenants/acme/clusters/edge-eu-1')).body.spec.description).toBe('Edge cluster in Berlin');
    expect((await s.run(['apply', '-f', 'examples/clusters.yaml'])).stdout).toContain('cluster/edge-eu-1 updated');
  });

  it('get -o yaml prints objects that apply back unchanged', async () => {
    const dir = await mkdtemp(join(s.dir, 'export-'));
    for (const kind of ['clusters', 'templates', 'templateversions', 'namespaces', 'apps']) {
      const got = await s.run(['get', kind, '-o', 'yaml']);
      expect(got.code).toBe(0);
      expect(got.stdout).not.toMatch(/status:|resourceVersion|uid:/);
      await writeFile(join(dir, `${kind}.yaml`), got.stdout);
    }
    const before = await versions();
    const r = await s.run(['apply', '-f', dir]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).sort()).toEqual(OBJECTS.map(([label]) => `${label} unchanged`).sort());
    expect(await versions()).toEqual(before);
    const one = await s.run(['get', 'App', 'storefront', '-o', 'yaml']);
    expect(one.stdout).toBe(await readFile(join(dir, 'apps.yaml'), 'utf8'));
  });

  it('get -o json (a List, with status and read-only metadata) applies back unchanged too', async () => {
    const dir = await mkdtemp(join(s.dir, 'json-'));
    const got = await s.run(['get', 'apps', '-o', 'json']);
    expect(JSON.parse(got.stdout)).toMatchObject({ kind: 'List', items: [{ kind: 'App', status: { summary: { clusters: 2 } } }] });
    await writeFile(join(dir, 'apps.json'), got.stdout);
    const before = await versions();
    const r = await s.run(['apply', '-f', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('app/storefront unchanged\n');
    expect(await versions()).toEqual(before);
  });

  it('a bad document fails the run naming its file and document, and the valid ones are still applied', async () => {
    const dir = await mkdtemp(join(s.dir, 'bad-'));
    await writeFile(join(dir, 'mixed.yaml'), [
      'apiVersion: fleetplane.io/v1\nkind: Gadget\nmetadata: { name: g }\nspec: {}',
      'apiVersion: fleetplane.io/v1\nkind: Cluster\nmetadata: { name: good-1, labels: { env: lab } }\nspec: { description: fine }',
      'apiVersion: fleetplane.io/v1\nkind: Cluster\nmetadata: { name: bad-1 }\nspec: { descr: 5 }',
    ].join('\n---\n'));
    await writeFile(join(dir, 'ok.json'), JSON.stringify({ apiVersion: 'fleetplane.io/v1', kind: 'Cluster', metadata: { name: 'good-2' }, spec: {} }));
    const r = await s.run(['apply', '-f', dir]);
    expect(r.code).toBe(1);
    const file = join(dir, 'mixed.yaml');
    expect(r.stderr).toContain(`${file} (document 1)`);
    expect(r.stderr).toMatch(/\/kind: unknown kind "Gadget"/);
    expect(r.stderr).toContain(`${file} (document 3): cluster/bad-1`);
    expect(r.stderr).toMatch(/\/spec\/descr: /);
    expect(lines(r.stdout).sort()).toEqual(['cluster/good-1 created', 'cluster/good-2 created']);
    expect((await s.api('GET', '/v1/tenants/acme/clusters/good-1')).body.metadata.labels).toEqual({ env: 'lab' });
    expect((await s.api('GET', '/v1/tenants/acme/clusters/bad-1')).status).toBe(404);
  });

  it('a changed template version is refused (409) and reported; the other objects are unchanged', async () => {
    const dir = await mkdtemp(join(s.dir, 'immutable-'));
    await cp('examples', dir, { recursive: true });
    const file = join(dir, 'template-web.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('default: hello', 'default: hi'));
    const r = await s.run(['apply', '-f', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file} (document 2): templateversion/web@1.0.0`);
    expect(r.stdout).not.toContain('templateversion/web@1.0.0');
    expect(lines(r.stdout)).toContain('app/storefront unchanged');
  });
});
