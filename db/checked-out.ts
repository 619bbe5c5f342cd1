import { READ_TIMEOUT_MESSAGE } from './query-limits.js';

interface CheckedOut {
  release(err?: Error | boolean): void;
  query: (...args: never[]) => unknown;
  once(event: 'end', fn: () => void): unknown;
  removeListener(event: 'end', fn: () => void): unknown;
}

interface ConnectingPool {
  connect(): Promise<CheckedOut>;
}

/**
 * A connection checked out of `pool` (a transaction's) goes back to it, to be
 * closed and discarded, as soon as it is lost: when it closes, or when the
 * driver gave up waiting for an answer on it (query-limits.ts), since its next
 * statement would wait behind the lost one (the transaction's rollback, then
 * whoever took the connection next). The holder's own release later does
 * nothing. drizzle sends a transaction's `begin` before its try/finally: a
 * `begin` that failed never released its connection, and the pool was one
 * connection short for good. Released with an error while its statement is
 * in flight, the pool closes the socket itself, and only then takes the next
 * waiter: a socket closed first left a waiter for a connection until its
 * 5 s ran out (the Neon driver). The pool's own `query` checks out with a
 * callback and releases as it should: that path is left as it is.
 */
export function releaseWhenLost(pool: ConnectingPool) {
  const connect = pool.connect.bind(pool) as (cb?: unknown) => Promise<CheckedOut> | undefined;
  (pool as { connect: unknown }).connect = (cb?: unknown) => (cb ? connect(cb) : connect()!.then(guarded));
}

/** The current holder's release with an error, while the connection is checked out. */
const LOSE = Symbol('lose');
const WATCHED = Symbol('watched');
type Held = CheckedOut & { [LOSE]?: ((why: string) => void) | undefined; [WATCHED]?: true };

function guarded(client: Held): CheckedOut {
  watchReadTimeouts(client);
  const release = client.release.bind(client);
  let released = false;
  const once = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    client.removeListener('end', closed);
    client[LOSE] = undefined;
    release(err);
  };
  const lost = (why: string) => once(new Error(why));
  const closed = () => lost('the connection closed while checked out');
  client.once('end', closed);
  client[LOSE] = lost;
  client.release = once;
  return client;
}

/**
 * Once per connection (the pool hands the same one out again and again): a
 * statement the driver gave up on releases the connection from whoever holds
 * it. Its handler is attached before the caller's, so the connection is gone
 * before the caller sends its next statement (a rollback).
 */
function watchReadTimeouts(client: Held) {
  if (client[WATCHED]) return;
  client[WATCHED] = true;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = (...args: never[]) => {
    const out = query(...args);
    if (out instanceof Promise) {
      out.catch((e: unknown) => {
        if ((e as Error | undefined)?.message === READ_TIMEOUT_MESSAGE) client[LOSE]?.('no answer within the time limit');
      });
    }
    return out;
  };
}
