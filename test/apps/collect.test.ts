import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';
import { collectContents } from '../../worker/domain/placement/collect.js';
import { driverUnderTest, openTestDatabase } from '../support/database.js';

/**
 * No foreign key guards placements' content hashes: collection must never
 * delete a content another transaction is storing, and a content collected
 * while another transaction waits to store it must be there once that one commits.
 */
describe.skipIf(driverUnderTest() !== 'pg')('collecting contents beside transactions that store them', () => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await openTestDatabase('pg')));
  afterAll(() => close());

  // as sync.ts stores a content: a no-op update of a stored one, which locks its row
  const store = (tx: Db, hash: string) => tx.execute(sql`
    insert into rendered_contents (hash, objects) values (${hash}, '[]') on conflict (hash) do update set hash = excluded.hash`);
  const stored = async (hash: string) =>
    rowsOf<{ n: string }>(await db.execute(sql`select count(*) as n from rendered_contents where hash = ${hash}`))[0]!.n === '1';

  /** Runs `body` in a transaction that stays open until the returned `commit` is called. */
  function openTransaction(body: (tx: Db) => Promise<void>) {
    let commit!: () => void;
    const held = new Promise<void>((r) => (commit = r));
    let ready!: () => void;
    const started = new Promise<void>((r) => (ready = r));
    const done = db.transaction(async (tx) => {
      await body(tx);
      ready();
      await held;
    });
    return { started, commit, done };
  }

  it('skips a content another transaction has stored and not yet committed', async () => {
    await store(db, 'h-held');
    const storing = openTransaction((tx) => store(tx, 'h-held').then(() => undefined));
    await storing.started;
    // nothing references it, yet it is held: not waited for, not deleted
    await db.transaction((tx) => collectContents(tx, ['h-held']));
    storing.commit();
    await storing.done;
    expect(await stored('h-held')).toBe(true);
    // once no one holds it, it goes
    await db.transaction((tx) => collectContents(tx, ['h-held']));
    expect(await stored('h-held')).toBe(false);
  });

  it('a transaction that stores a content while it is being collected stores it again', async () => {
    await store(db, 'h-race');
    const collecting = openTransaction((tx) => collectContents(tx, ['h-race']));
    await collecting.started;
    let storeDone = false;
    const storing = db.transaction(async (tx) => {
      await store(tx, 'h-race');
      storeDone = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(storeDone).toBe(false); // waits for the collection's lock
    collecting.commit();
    await collecting.done;
    await storing;
    expect(await stored('h-race')).toBe(true);
  });
});
