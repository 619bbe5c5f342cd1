import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/rows.js';
import { sha256Hex } from '../../worker/lib/crypto.js';
import { JANITOR_BATCH } from '../../worker/scheduled/janitor.js';
import { runScheduledWork } from '../../worker/scheduled/run.js';
import { FACTS } from '../support/fleet.js';
import { harnessWithTenant, type Harness, type SeededTenant } from '../support/harness.js';

const HOUR = 3600 * 1000;
let h: Harness;
let acme: SeededTenant;
beforeAll(async () => ({ h, tenant: acme } = await harnessWithTenant()));
afterAll(() => h.close());

const mintApiToken = (key: string) =>
  h.call('POST', '/v1/tenants/acme/tokens', {
    token: acme.tokens.owner, body: { spec: { role: 'viewer', description: key } }, headers: { 'idempotency-key': key },
  });
const mintJoinToken = async () => {
  const r = await h.call('POST', '/v1/tenants/acme/clusters/edge/join-tokens', { token: h.adminToken, body: {} });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.token as string;
};
const idempotencyKeys = async () =>
  rowsOf<{ key: string }>(await h.db.execute(sql`select key from idempotency_records order by key`)).map((r) => r.key);
const joinTokenHashes = async () =>
  new Set(rowsOf<{ secret_hash: string }>(await h.db.execute(sql`select secret_hash from join_tokens`)).map((r) => r.secret_hash));

describe('the janitor', () => {
  it('deletes idempotency records past 24 h and join tokens expired or used more than 24 h ago, and nothing else', async () => {
    expect((await mintApiToken('old-key')).status).toBe(201);
    expect((await h.call('PUT', '/v1/tenants/acme/clusters/edge', { token: h.adminToken, body: { spec: {} } })).status).toBe(201);
    const expiring = await mintJoinToken(); // expires in 1 h
    const used = await mintJoinToken();
    const reg = await h.call('POST', '/v1/connector/register', { body: { joinToken: used, cluster: { ...FACTS, connectorVersion: '0.1.0' } } });
    expect(reg.status).toBe(200);

    h.clock.advance(24.5 * HOUR); // `used` was used 24.5 h ago; `expiring` expired 23.5 h ago
    expect((await mintApiToken('fresh-key')).status).toBe(201);
    const fresh = await mintJoinToken();

    expect(await runScheduledWork(h.db, h.clock.now())).toMatchObject({ skipped: false, jobs: { janitor: 2 } });
    expect(await idempotencyKeys()).toEqual(['fresh-key']);
    expect(await joinTokenHashes()).toEqual(new Set([await sha256Hex(expiring), await sha256Hex(fresh)]));

    h.clock.advance(HOUR);
    expect(await runScheduledWork(h.db, h.clock.now())).toMatchObject({ skipped: false, jobs: { janitor: 1 } });
    expect(await joinTokenHashes()).toEqual(new Set([await sha256Hex(fresh)]));
    expect(await runScheduledWork(h.db, h.clock.now())).toMatchObject({ skipped: false, jobs: { janitor: 0 } });

    // the fresh key still replays; the deleted one is a new request
    expect((await mintApiToken('fresh-key')).headers.get('idempotent-replayed')).toBe('true');
    const again = await mintApiToken('old-key');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it(`deletes at most ${JANITOR_BATCH} rows of a table per run; the next run goes on`, async () => {
    const old = new Date(h.clock.now().getTime() - 25 * HOUR);
    await h.db.execute(sql`
      insert into idempotency_records (scope, key, request_hash, created_at)
      select 'backlog', 'k' || i, 'h', ${old} from generate_series(1, ${JANITOR_BATCH + 3}) as i`);
    expect(await runScheduledWork(h.db, h.clock.now())).toMatchObject({ skipped: false, jobs: { janitor: JANITOR_BATCH } });
    expect(await runScheduledWork(h.db, h.clock.now())).toMatchObject({ skipped: false, jobs: { janitor: 3 } });
    expect(await runScheduledWork(h.db, h.clock.now())).toMatchObject({ skipped: false, jobs: { janitor: 0 } });
  });
});
