import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, fleetplane, startServer, type Server } from './support.js';

const run = promisify(execFile);
let s: Server;
beforeAll(async () => {
  s = await startServer();
  expect((await s.api('PUT', '/v1/tenants/acme/clusters/edge-1', { metadata: { labels: {} }, spec: {} })).status).toBe(201);
});
afterAll(() => s.close());

describe('fleetplane kubeconfig and fleetplane credential', () => {
  it('prints a kubeconfig through the gateway whose user is the exec credential; kubectl reads it; no secret inside', async () => {
    const r = await s.run(['kubeconfig', 'edge-1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/fp_[A-Za-z0-9_-]{8,}/);
    const config = parse(r.stdout);
    expect(config.clusters).toEqual([{ name: 'acme/edge-1', cluster: { server: `${s.url}/v1/tenants/acme/clusters/edge-1/proxy` } }]);
    expect(config.users[0].user.exec).toMatchObject({
      apiVersion: 'client.authentication.k8s.io/v1', command: 'fleetplane', args: ['credential', '--url', s.url], interactiveMode: 'Never',
    });
    const file = join(s.dir, 'edge-1.kubeconfig');
    await writeFile(file, r.stdout);
    const { stdout } = await run('kubectl', ['--kubeconfig', file, 'config', 'view', '--raw', '-o', 'json']);
    const seen = JSON.parse(stdout);
    expect(seen['current-context']).toBe('acme/edge-1');
    expect(seen.contexts[0].context).toEqual({ cluster: 'acme/edge-1', user: config.users[0].name });
    expect(stdout).not.toContain(ADMIN);

    const missing = await s.run(['kubeconfig', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cluster "nope" not found');
  });

  it('credential prints an ExecCredential with the token, a stored one only for the server it was stored for', async () => {
    const config = { XDG_CONFIG_HOME: join(s.dir, 'cred-config') };
    expect((await fleetplane(['login', '--url', s.url, '--token', ADMIN, '--tenant', 'acme'], config)).code).toBe(0);
    const ok = await fleetplane(['credential', '--url', s.url], config);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ADMIN } });

    // a kubeconfig naming another server does not get the stored token
    const elsewhere = await fleetplane(['credential', '--url', 'https://evil.example'], config);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toBe('');
    expect(elsewhere.stderr).toContain(`the stored login is for ${s.url}, not https://evil.example`);
    // unless the caller hands a token over explicitly
    const given = await fleetplane(['credential', '--url', 'https://other.example'], { ...config, FLEETPLANE_TOKEN: 'fp_given' });
    expect(JSON.parse(given.stdout).status.token).toBe('fp_given');

    const none = await fleetplane(['credential', '--url', s.url], { XDG_CONFIG_HOME: join(s.dir, 'empty-config') });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no token for');
  });
});
