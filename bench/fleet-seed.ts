/**
 * A fleet without going through registration one cluster at a time: the tenant
 * through the API, then the rows registering leaves behind (a `clusters` row at
 * credential generation 1 and its `cluster_agents` row) written in bulk, each
 * cluster already Ready with a heartbeat just now, as in a fleet in steady state.
 * Credentials are minted with the server's own signing key.
 */
import pg from 'pg';
import { signConnectorCredential } from '../worker/auth/connector-credential.js';
import type { SigningKeys } from '../worker/auth/signing-keys.js';
import { call, expectStatus } from './fixtures.js';
import { createMigratedDatabase } from '../test/support/postgres.js';
import { generatePrivateJwk, loadSigningKeys } from '../worker/auth/signing-keys.js';
import type { RunningFleetplane } from './servers.js';

export interface SeededCluster {
  uid: string;
  name: string;
  /** the desired revision as seeded */
  revision: number;
  credential: string;
}

export interface Fleet {
  tenant: string;
  tenantUid: string;
  clusters: SeededCluster[];
  /** a pool on the bench database, for seeding and checks (close with `end`) */
  sql: pg.Pool;
  end(): Promise<void>;
}

const SIGN_BATCH = 500;

export async function seedFleet(
  baseUrl: string, adminToken: string, databaseUrl: string, keys: SigningKeys, count: number, tenant = 'fleet',
): Promise<Fleet> {
  const text = await expectStatus(201, `PUT /v1/tenants/${tenant}`,
    call(baseUrl, 'PUT', `/v1/tenants/${tenant}`, adminToken, { spec: { displayName: 'Fleet bench' } }));
  const tenantUid = (JSON.parse(text) as { metadata: { uid: string } }).metadata.uid;

  const sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  sql.on('error', () => {});
  try {
    const { rows } = await sql.query<{ uid: string; name: string; desired_revision: string }>(
      `insert into clusters (name, tenant_id, labels, spec, credential_generation, desired_revision)
       select 'c-' || lpad(g::text, 6, '0'), $1, '{}'::json, '{}'::json, 1, nextval('desired_revision_seq')
       from generate_series(1, $2::int) g
       returning uid, name, desired_revision`,
      [tenantUid, count],
    );
    await sql.query(
      `insert into cluster_agents (cluster_uid, registered_at, last_heartbeat_at, ready, kubernetes_version, node_count, connector_version)
       select uid, now(), now(), true, 'v1.31.0', 3, '0.1.0' from clusters where tenant_id = $1`,
      [tenantUid],
    );
    // For pgbench: the cluster uids numbered 1..count, so a script can pick one at random.
    await sql.query(`create table bench_uids (i int primary key, uid uuid not null)`);
    await sql.query(`insert into bench_uids select row_number() over (order by uid), uid from clusters where tenant_id = $1`, [tenantUid]);
    await sql.query('analyze');

    rows.sort((a, b) => a.name.localeCompare(b.name));
    const now = new Date();
    const clusters: SeededCluster[] = [];
    for (let i = 0; i < rows.length; i += SIGN_BATCH) {
      const batch = rows.slice(i, i + SIGN_BATCH);
      const minted = await Promise.all(batch.map((r) =>
        signConnectorCredential(keys, { sub: r.uid, tnt: tenantUid, gen: 1 }, now)));
      batch.forEach((r, j) => clusters.push({ uid: r.uid, name: r.name, revision: Number(r.desired_revision), credential: minted[j]!.credential }));
    }
    return { tenant, tenantUid, clusters, sql, end: () => sql.end() };
  } catch (err) {
    await sql.end();
    throw err;
  }
}

/** Every cluster heartbeated just now: keeps the fleet Ready, so no phase-change events are written. */
export async function freshenHeartbeats(fleet: Fleet) {
  await fleet.sql.query(`update cluster_agents set last_heartbeat_at = now(), ready = true`);
}

/** closedRounds' `before`: the fleet made fresh ahead of each heartbeat run (freshenHeartbeats). */
export const freshenBeforeHeartbeats = (fleet: Fleet) => async (name: string) => {
  if (name === 'heartbeat') await freshenHeartbeats(fleet);
};

/** Cluster events recorded so far (phase changes); steady-state heartbeats write none. */
export async function eventCount(fleet: Fleet): Promise<number> {
  const { rows } = await fleet.sql.query<{ n: string }>(`select count(*) as n from events`);
  return Number(rows[0]!.n);
}

/** The desired revisions now, by cluster uid. */
export async function currentRevisions(fleet: Fleet): Promise<Map<string, number>> {
  const { rows } = await fleet.sql.query<{ uid: string; r: string }>(
    `select uid, desired_revision as r from clusters where tenant_id = $1`, [fleet.tenantUid]);
  return new Map(rows.map((r) => [r.uid, Number(r.r)]));
}

/**
 * A fresh migrated Postgres, a server on it (`start`: in this process or its
 * own) with a signing key the bench shares, and `count` clusters seeded: `fn`
 * gets them, and all three are taken down after it, whatever it did.
 */
export async function withSeededFleet<T, S extends RunningFleetplane>(
  count: number, start: (databaseUrl: string, env: Record<string, string>) => Promise<S>, tenant: string | undefined,
  fn: (x: { fp: S; fleet: Fleet; databaseUrl: string; seededMs: number }) => Promise<T>,
): Promise<T> {
  const database = await createMigratedDatabase();
  try {
    const signingKey = JSON.stringify(await generatePrivateJwk());
    const fp = await start(database.url, { FLEETPLANE_SIGNING_KEY: signingKey });
    try {
      const started = Date.now();
      const fleet = await seedFleet(fp.url, fp.adminToken, database.url, await loadSigningKeys(signingKey), count, tenant);
      try {
        return await fn({ fp, fleet, databaseUrl: database.url, seededMs: Date.now() - started });
      } finally {
        await fleet.end();
      }
    } finally {
      await fp.close();
    }
  } finally {
    await database.drop();
  }
}
