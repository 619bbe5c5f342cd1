import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from './support.js';

let s: Server;
let first: { values: Record<string, unknown> };
beforeAll(async () => {
  s = await startServer();
  expect((await s.run(['apply', '-f', 'examples/'])).code).toBe(0);
  const app = await s.api('GET', '/v1/tenants/acme/apps/storefront');
  first = app.body.spec;
  const changed = await s.api('PUT', '/v1/tenants/acme/apps/storefront', { spec: { ...app.body.spec, values: { replicas: 5 } } });
  expect(changed.body.metadata.generation).toBe(2);
});
afterAll(() => s.close());

describe('fleetplane rollback app and resume app', () => {
  it('rollback gives the app an earlier revision’s spec as a new generation', async () => {
    const r = await s.run(['rollback', 'app', 'storefront', '--revision', '1']);
    expect(r.stdout).toBe('app/storefront rolled back to revision 1 (generation 3)\n');
    expect(r.code).toBe(0);
    expect((await s.api('GET', '/v1/tenants/acme/apps/storefront')).body.spec).toEqual(first);
  });

  it('a revision the app never had prints the problem and each error with its pointer (exit 1); a word is refused unsent', async () => {
    const r = await s.run(['rollback', 'apps', 'storefront', '--revision', '99']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: rolling back app\/storefront: .+\n {2}\/revision: app "storefront" has no revision 99 \(it has 1 to 3\)\n$/);
    const word = await s.run(['rollback', 'app', 'storefront', '--revision', 'latest']);
    expect(word.code).toBe(1);
    expect(word.stderr).toContain('--revision takes a revision number');
  });

  it('resume of an app whose rollout is not paused prints the server’s 409 and exits 1', async () => {
    const r = await s.run(['resume', 'app', 'storefront']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: resuming app/storefront: app "storefront" has no paused rollout to resume (its strategy is not Progressive)\n');
  });
});
