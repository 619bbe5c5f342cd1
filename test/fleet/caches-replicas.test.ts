import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateJwk } from '../../worker/auth/signing-keys.js';
import { parseEnv } from '../../worker/env.js';
import { startNodeServer, type RunningServer } from '../../worker/node/server.js';
import { driverUnderTest } from '../support/database.js';
import { createMigratedDatabase } from '../support/postgres.js';
import { FACTS } from '../support/fleet.js';

/**
 * Two Node replicas on one Postgres, each caching clusters' credential
 * generations and desired revisions for the idle poll, and API tokens with
 * their tenant's row: a write answered by one replica holds on the other at
 * once (revoke, new revision, token deleted, tenant changed), and a replica
 * that cannot hear notifications stops trusting its caches.
 */
const ADMIN = `fp_${'k'.repeat(43)}`;
let dirs: string[] = [];
let database: { url: string; drop: () => Promise<void> };
let sql: pg.Pool;
let a: RunningServer;
let b: RunningServer;
let signingKey: string;

const replica = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-cache-'));
  dirs.push(dir);
  return startNodeServer(parseEnv({
    PORT: '0', FLEETPLANE_DATA_DIR: dir, FLEETPLANE_ADMIN_TOKEN: ADMIN, DATABASE_URL: database.url,
    FLEETPLANE_RATE_LIMIT: '0', FLEETPLANE_TENANT_RATE_LIMIT: '0', FLEETPLANE_CONNECTOR_RATE_LIMIT: '0',
    FLEETPLANE_AUTH_FAILURE_LIMIT: '0', FLEETPLANE_SIGNING_KEY: signingKey,
  }), '127.0.0.1');
};

async function call(server: RunningServer, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), body: text ? JSON.parse(text) : undefined };
}

async function joined(name: string) {
  expect((await call(a, 'PUT', `/v1/tenants/acme/clusters/${name}`, ADMIN, { metadata: { labels: { v: '0' } }, spec: {} })).status).toBe(201);
  const jt = await call(a, 'POST', `/v1/tenants/acme/clusters/${name}/join-tokens`, ADMIN, {});
  const reg = await call(a, 'POST', '/v1/connector/register', '', { joinToken: jt.body.token, cluster: { ...FACTS, connectorVersion: '0.1.0' } });
  expect(reg.status).toBe(200);
  return { uid: reg.body.cluster.uid as string, credential: reg.body.credential as string };
}

const poll = (server: RunningServer, credential: string, etag?: string | null) =>
  call(server, 'GET', '/v1/connector/desired-state', credential, undefined, etag ? { 'if-none-match': etag } : {});

describe.skipIf(driverUnderTest() !== 'pg')('caches on two replicas', () => {
  beforeAll(async () => {
    database = await createMigratedDatabase();
    signingKey = JSON.stringify({ keys: [await generatePrivateJwk()] }); // one key set: a credential from A holds on B
    sql = new pg.Pool({ connectionString: database.url, max: 2 });
    [a, b] = [await replica(), await replica()];
    expect((await call(a, 'PUT', '/v1/tenants/acme', ADMIN, { spec: { displayName: 'acme' } })).status).toBe(201);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sql?.end();
    await database?.drop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    dirs = [];
  });

  it('a new revision made through A is served by B at once, every time', async () => {
    const c = await joined('moving');
    let etag = (await poll(b, c.credential)).etag;
    expect((await poll(b, c.credential, etag)).status).toBe(304);
    expect(b.push.clusters!.get(c.uid, 1, Date.now())).toBeDefined(); // B answers from its cache
    for (let i = 1; i <= 20; i++) {
      expect((await call(a, 'PUT', '/v1/tenants/acme/clusters/moving', ADMIN, { metadata: { labels: { v: String(i) } }, spec: {} })).status).toBe(200);
      const now = await poll(b, c.credential, etag);
      expect(now.status, `change ${i}`).toBe(200);
      expect(now.etag).not.toBe(etag);
      etag = now.etag;
      expect((await poll(b, c.credential, etag)).status).toBe(304);
    }
  });

  it('a credential revoked through A is refused by B at once, on the idle poll and the watch', async () => {
    for (let i = 0; i < 5; i++) {
      const name = `revoked-${i}`;
      const c = await joined(name);
      const { etag } = await poll(b, c.credential);
      expect((await poll(b, c.credential, etag)).status).toBe(304);
      expect((await poll(a, c.credential, etag)).status).toBe(304);
      expect((await call(a, 'POST', `/v1/tenants/acme/clusters/${name}/revoke`, ADMIN, {})).status).toBeLessThan(300);
      expect((await poll(b, c.credential, etag)).status, `revoke ${i} on B`).toBe(401);
      expect((await poll(a, c.credential, etag)).status, `revoke ${i} on A`).toBe(401);
      expect((await call(b, 'GET', '/v1/connector/watch?revision=0&timeoutSeconds=0', c.credential)).status).toBe(401);
    }
  });

  it('a deleted cluster is refused by B at once', async () => {
    const c = await joined('deleted');
    const { etag } = await poll(b, c.credential);
    expect((await poll(b, c.credential, etag)).status).toBe(304);
    expect((await call(a, 'DELETE', '/v1/tenants/acme/clusters/deleted', ADMIN)).status).toBe(204);
    expect((await poll(b, c.credential, etag)).status).toBe(401);
  });

  it('an API token deleted through A is refused by B at once; a tenant changed through A is read fresh on B', async () => {
    for (let i = 0; i < 5; i++) {
      const minted = await call(a, 'POST', '/v1/tenants/acme/tokens', ADMIN, { spec: { role: 'viewer', description: `t${i}` } });
      expect(minted.status).toBe(201);
      const token = minted.body.token as string;
      expect((await call(b, 'GET', '/v1/tenants/acme', token)).status).toBe(200);
      expect((await call(b, 'GET', '/v1/tenants/acme', token)).status).toBe(200);
      expect(b.push.tokens!.size).toBeGreaterThan(0); // B answers from its cache
      const shown = `model ${i}`;
      expect((await call(a, 'PUT', '/v1/tenants/acme', ADMIN, { spec: { displayName: shown } })).status).toBe(200);
      expect((await call(b, 'GET', '/v1/tenants/acme', token)).body.spec.displayName).toBe(shown);
      const id = minted.body.metadata.name as string;
      expect((await call(a, 'DELETE', `/v1/tenants/acme/tokens/${id}`, ADMIN)).status).toBe(204);
      expect((await call(b, 'GET', '/v1/tenants/acme', token)).status, `token ${i} on B`).toBe(401);
      expect((await call(a, 'GET', '/v1/tenants/acme', token)).status, `token ${i} on A`).toBe(401);
    }
  });

  it('a replica whose LISTEN connection is lost stops trusting its cache until it listens again', async () => {
    const c = await joined('deaf');
    const { etag } = await poll(b, c.credential);
    expect((await poll(b, c.credential, etag)).status).toBe(304);
    // a change no notification tells of (as when one is lost): the cache still answers from memory
    await sql.query('update clusters set desired_revision = desired_revision + 1000 where uid = $1', [c.uid]);
    expect((await poll(b, c.credential, etag)).status).toBe(304);
    // both replicas' LISTEN connections cut: neither may answer from memory now
    await sql.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'`);
    await expect.poll(() => b.push.clusters!.size + b.push.tokens!.size, { timeout: 2000 }).toBe(0);
    const fresh = await poll(b, c.credential, etag);
    expect(fresh.status).toBe(200);
    expect(fresh.etag).not.toBe(etag);
    // listening again (after a second), it caches again
    await expect.poll(async () => { await poll(b, c.credential, fresh.etag); return b.push.clusters!.size; }, { timeout: 5000, interval: 200 }).toBeGreaterThan(0);
  });
});
