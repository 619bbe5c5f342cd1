import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { releaseWhenLost } from '../../db/checked-out.js';
import { READ_TIMEOUT_MESSAGE } from '../../db/query-limits.js';

/** One connection a fake pool hands out again and again, recording how it was given back. */
function fakePool() {
  const releases: (Error | boolean | undefined)[] = [];
  let answer: () => Promise<unknown> = () => Promise.resolve({ rows: [] });
  const client = Object.assign(new EventEmitter(), {
    release: (_err?: Error | boolean) => {},
    query: (..._args: unknown[]): unknown => answer(),
  });
  const pool = {
    connect: (cb?: (err: unknown, c: unknown) => void) => {
      // as pg-pool: a fresh release function for each checkout
      client.release = (err) => void releases.push(err);
      if (cb) return void cb(undefined, client);
      return Promise.resolve(client);
    },
  };
  releaseWhenLost(pool as never);
  return { pool, client, releases, answerWith: (f: () => Promise<unknown>) => (answer = f) };
}

describe('releaseWhenLost', () => {
  it('a connection that closes while checked out goes back once, with an error; the holder’s release then does nothing', async () => {
    const { pool, client, releases } = fakePool();
    const held = await (pool.connect() as Promise<typeof client>);
    held.emit('end');
    held.release();
    expect(releases).toHaveLength(1);
    expect(releases[0]).toBeInstanceOf(Error);
  });

  it('a statement the driver gave up on gives the connection back with an error before its holder goes on', async () => {
    const { pool, client, releases, answerWith } = fakePool();
    const held = await (pool.connect() as Promise<typeof client>);
    answerWith(() => Promise.reject(new Error(READ_TIMEOUT_MESSAGE)));
    await expect(held.query('begin')).rejects.toThrow(READ_TIMEOUT_MESSAGE);
    expect(releases).toHaveLength(1);
    expect((releases[0] as Error).message).toMatch(/time limit/);
    held.release();
    expect(releases).toHaveLength(1);
  });

  it('wraps a connection’s statements once, however often it is checked out; other failures leave the release to the holder', async () => {
    const { pool, client, releases, answerWith } = fakePool();
    const first = await (pool.connect() as Promise<typeof client>);
    const query = first.query;
    first.release();
    for (let i = 0; i < 3; i++) (await (pool.connect() as Promise<typeof client>)).release();
    expect(client.query).toBe(query);
    const held = await (pool.connect() as Promise<typeof client>);
    answerWith(() => Promise.reject(new Error('duplicate key value')));
    await expect(held.query('insert')).rejects.toThrow('duplicate key');
    expect(releases).toEqual([undefined, undefined, undefined, undefined]);
    held.release();
    expect(releases).toHaveLength(5);
  });

  it('leaves the callback form (the pool’s own query) to the pool', () => {
    const { pool, client } = fakePool();
    let got: unknown;
    pool.connect((_err, c) => (got = c));
    expect(got).toBe(client);
    expect(client.listenerCount('end')).toBe(0);
  });
});
