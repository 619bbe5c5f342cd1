import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Lets suites that move time (token expiry, silent clusters) run against a
 * real workerd: with FLEETPLANE_TEST_CLOCK=true a request's
 * `X-Fleetplane-Test-Now` (epoch ms) is "now" for everything it does,
 * including work it leaves to waitUntil. Off by default; never in production,
 * where it would let a caller choose the time a credential is checked at.
 */
export const TEST_CLOCK_HEADER = 'x-fleetplane-test-now';

const requestNow = new AsyncLocalStorage<number>();

export const testClockNow = () => new Date(requestNow.getStore() ?? Date.now());

/** Runs `fn` with the request's test time as "now" (when it carries one). */
export function withTestClock<T>(request: Request, fn: () => T): T {
  const raw = request.headers.get(TEST_CLOCK_HEADER);
  const at = raw === null ? NaN : Number(raw);
  return Number.isSafeInteger(at) ? requestNow.run(at, fn) : fn();
}
