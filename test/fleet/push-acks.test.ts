import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodePush } from '../../worker/node/node-push.js';
import { PgPush } from '../../worker/node/pg-push.js';
import { driverUnderTest } from '../support/database.js';
import { createDatabase } from '../support/postgres.js';

/**
 * Postgres delivers a notification to each listening session on that
 * session's own time. A disconnect answered by replica A must already hold on
 * replica B, even when B hears of it later than A hears its own echo: here
 * B's notifications are held back 300 ms, as a busy backend or event loop would.
 */
const DELAY_MS = 300;

/** A pool whose listening client hands its notifications on DELAY_MS late. */
function slowListening(pool: pg.Pool): pg.Pool {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  return new Proxy(pool, {
    get(target, prop) {
      // everything else on the pool itself (its query() connects through its own connect)
      if (prop !== 'connect') {
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      }
      return async () => {
        const client = await connect();
        const on = client.on.bind(client);
        (client as unknown as { on: (e: string, fn: (...a: unknown[]) => void) => unknown }).on = (event, fn) =>
          on(event as 'notification', event === 'notification' ? (...args: unknown[]) => void setTimeout(() => fn(...args), DELAY_MS) : (fn as never));
        return client;
      };
    },
  });
}

describe.skipIf(driverUnderTest() !== 'pg')('acknowledged push between replicas', () => {
  let database: { url: string; drop: () => Promise<void> };
  const pools: pg.Pool[] = [];
  let a: PgPush;
  let b: PgPush;
  beforeAll(async () => {
    database = await createDatabase();
    const pool = () => {
      const p = new pg.Pool({ connectionString: database.url, max: 3 });
      pools.push(p);
      return p;
    };
    a = new PgPush(new NodePush(), pool());
    b = new PgPush(new NodePush(), slowListening(pool()));
    await a.listen();
    await b.listen();
    await new Promise((r) => setTimeout(r, 2 * DELAY_MS)); // each has heard the other say it listens
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    for (const p of pools) await p.end();
    await database?.drop();
  });

  it('a disconnect through A answers only once B, hearing of it late, has applied it', async () => {
    const target = { tenantUid: crypto.randomUUID(), clusterUid: crypto.randomUUID() };
    let ended = false;
    void b.wait(target, 0, 10_000).then(() => (ended = true));
    const started = Date.now();
    await a.disconnect(target);
    expect(ended).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(DELAY_MS - 20);
  });

  it('a publish through A is held by B once it answers', async () => {
    const target = { tenantUid: crypto.randomUUID(), clusterUid: crypto.randomUUID() };
    let woke: number | undefined;
    void b.wait(target, 0, 10_000).then((r) => (woke = r));
    await a.publish([{ target, revision: 7 }]);
    expect(woke).toBe(7);
  });
});
