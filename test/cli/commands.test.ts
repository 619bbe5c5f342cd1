import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, fleetplane, lines, startServer, type Server } from './support.js';

let s: Server;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

describe('fleetplane commands', () => {
  it('--help for the program and every command', async () => {
    const top = await fleetplane(['--help']);
    expect(top.code).toBe(0);
    const commands = ['login', 'apply', 'plan', 'get', 'delete', 'join', 'watch', 'resume', 'rollback'];
    for (const c of commands) expect(top.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    for (const c of commands) {
      const r = await fleetplane([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout).toContain(`Usage: fleetplane ${c}`);
    }
  });

  it('login checks the credentials, stores them readable by the owner only, and later commands use them', async () => {
    const config = { XDG_CONFIG_HOME: join(s.dir, 'login-config') };
    const refused = await fleetplane(['login', '--url', s.url, '--token', `fp_${'x'.repeat(43)}`], config);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error: signing in/);
    await expect(stat(join(config.XDG_CONFIG_HOME, 'fleetplane', 'config.json'))).rejects.toThrow();

    const ok = await fleetplane(['login', '--url', s.url, '--token', ADMIN, '--tenant', 'acme'], config);
    expect(ok.code).toBe(0);
    const file = join(config.XDG_CONFIG_HOME, 'fleetplane', 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: s.url, token: ADMIN, tenant: 'acme' });

    expect((await fleetplane(['join', 'stored-1'], config)).code).toBe(0);
    const listed = await fleetplane(['get', 'Clusters'], config);
    expect(listed.stdout).toMatch(/^stored-1\s+Pending/m);
    // the environment wins over the stored tenant, and a flag over the environment
    expect((await fleetplane(['get', 'cluster', 'stored-1'], { ...config, FLEETPLANE_TENANT: 'other' })).stderr).toMatch(/tenant "other" not found/);
    expect((await fleetplane(['get', 'cluster', 'stored-1', '--tenant', 'acme'], { ...config, FLEETPLANE_TENANT: 'other' })).code).toBe(0);
  });

  it('join creates a missing cluster with labels, and prints the kubectl command that installs its connector', async () => {
    const r = await s.run(['join', 'edge-9', '--labels', 'env=prod,region=ap']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kubectl apply -f http:\/\/127\.0\.0\.1:\d+\/v1\/join\/fpj_[\w-]+\/install\.yaml\n$/);
    expect(r.stderr).toContain('cluster/edge-9 created');
    const cluster = await s.api('GET', '/v1/tenants/acme/clusters/edge-9');
    expect(cluster.body.metadata.labels).toEqual({ env: 'prod', region: 'ap' });
    const manifest = await fetch(r.stdout.trim().split(' ').at(-1)!);
    expect(manifest.status).toBe(200);
    expect(await manifest.text()).toContain('kind: Deployment');
    const again = await s.run(['join', 'edge-9']);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('created');
    expect((await s.api('GET', '/v1/tenants/acme/clusters/edge-9')).body.metadata.resourceVersion).toBe(cluster.body.metadata.resourceVersion);
  });

  it('get: any case, singular or plural; -l selects by labels; -o json; unknown kinds and names fail', async () => {
    await s.run(['join', 'edge-10', '--labels', 'env=dev']);
    const prod = await s.run(['get', 'CLUSTER', '-l', 'env=prod']);
    expect(lines(prod.stdout).map((l) => l.split(/\s+/)[0])).toEqual(['NAME', 'edge-9']);
    const json = JSON.parse((await s.run(['get', 'clusters', 'edge-10', '-o', 'json'])).stdout);
    expect(json).toMatchObject({ apiVersion: 'fleetplane.io/v1', kind: 'Cluster', metadata: { name: 'edge-10', labels: { env: 'dev' } }, status: { phase: 'Pending' } });
    const unknown = await s.run(['get', 'gadgets']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown kind "gadgets"');
    const missing = await s.run(['get', 'cluster', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cluster "nope" not found');
  });

  it('delete KIND NAME and delete -f', async () => {
    const r = await s.run(['delete', 'clusters', 'edge-10']);
    expect(r.stdout.trim()).toBe('cluster/edge-10 deleted');
    expect((await s.api('GET', '/v1/tenants/acme/clusters/edge-10')).status).toBe(404);
    const again = await s.run(['delete', 'cluster', 'edge-10']);
    expect(again.code).toBe(1);
    expect((await s.run(['delete', 'cluster', 'edge-10', '--ignore-not-found'])).code).toBe(0);

    expect((await s.run(['apply', '-f', 'examples/'])).code).toBe(0);
    const all = await s.run(['delete', '-f', 'examples/']);
    expect(all.code).toBe(0);
    expect(lines(all.stdout)).toEqual([
      'app/storefront deleted', 'namespace/shop deleted', 'template/web deleted', 'cluster/edge-us-1 deleted', 'cluster/edge-eu-1 deleted',
    ]);
    expect((await s.api('GET', '/v1/tenants/acme/templates/web/versions/1.0.0')).status).toBe(404);
  });

  it('webhooks: apply prints a generated secret once; get never shows it; plan and apply leave a written one to the server', async () => {
    const dir = await mkdtemp(join(s.dir, 'webhooks-'));
    const file = join(dir, 'hooks.yaml');
    // an address literal (no DNS here), with a filter no event of this server matches: nothing is ever sent to it
    const spec = 'spec:\n  url: https://93.184.215.14/fleetplane\n  events:\n    - RolloutCompleted\n';
    await writeFile(file, `apiVersion: fleetplane.io/v1\nkind: Webhook\nmetadata:\n  name: ops\n${spec}`);
    const created = await s.run(['apply', '-f', file]);
    expect(created.code).toBe(0);
    const [line, secret] = lines(created.stdout);
    expect(line).toBe('webhook/ops created');
    expect(secret).toMatch(/^ {2}spec\.secret: whsec_[A-Za-z0-9+/]{43}= \(generated; shown only this once\)$/);
    expect(lines((await s.run(['apply', '-f', file])).stdout)).toEqual(['webhook/ops unchanged']);
    expect((await s.run(['plan', '-f', file])).code).toBe(0);

    const yaml = await s.run(['get', 'webhook', 'ops', '-o', 'yaml']);
    expect(yaml.stdout).toBe(`apiVersion: fleetplane.io/v1\nkind: Webhook\nmetadata:\n  name: ops\n${spec}`);
    const table = lines((await s.run(['get', 'hooks'])).stdout);
    expect(table[0]).toMatch(/^NAME +URL +EVENTS +LAST DELIVERY$/);
    expect(table[1]).toMatch(/^ops +https:\/\/93\.184\.215\.14\/fleetplane +RolloutCompleted +-$/);
    expect((await s.run(['get', 'webhooks', '-o', 'json'])).stdout).not.toContain('whsec_');

    // a secret in the file cannot be compared: plan says so, apply sends it and the server decides
    const written = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    await writeFile(file, `apiVersion: fleetplane.io/v1\nkind: Webhook\nmetadata:\n  name: ops\n${spec}  secret: ${written}\n`);
    const plan = await s.run(['plan', '-f', file]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('spec.secret: not compared');
    expect(plan.stdout).not.toContain(written);
    expect(lines((await s.run(['apply', '-f', file])).stdout)).toEqual(['webhook/ops updated']);
    expect(lines((await s.run(['apply', '-f', file])).stdout)).toEqual(['webhook/ops unchanged']);
    expect((await s.api('GET', '/v1/tenants/acme/webhooks/ops')).body.metadata.generation).toBe(2);
    expect((await s.run(['delete', 'webhook', 'ops'])).stdout.trim()).toBe('webhook/ops deleted');
  });
});
