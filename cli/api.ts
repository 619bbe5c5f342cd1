import { createFleetplaneClient, type FleetplaneClient, type Problem } from '../client/index.js';
import type { Connection } from './connection.js';

export type Api = FleetplaneClient;

/** What one call gave: the status, and the body or the problem. */
export interface Outcome<T> {
  status: number;
  data: T | undefined;
  problem: Problem | undefined;
}

/** Turns openapi-fetch's `{ data, error, response }` into an Outcome. */
export async function outcome<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Outcome<T>> {
  const r = await call;
  const problem = r.error && typeof r.error === 'object' ? (r.error as Problem) : undefined;
  return { status: r.response.status, data: r.data as T | undefined, problem };
}

/** A failed call, carrying the server's problem. */
export class ApiFailure extends Error {
  constructor(readonly status: number, readonly problem: Problem | undefined, readonly what: string) {
    super(problem?.detail ? `${what}: ${problem.detail}` : `${what}: HTTP ${status}`);
  }
}

/** The data of a successful call, else an ApiFailure. */
export function expectOk<T>(o: Outcome<T>, what: string): T {
  if (o.status >= 400 || o.data === undefined) throw new ApiFailure(o.status, o.problem, what);
  return o.data;
}

export function connect(c: Connection, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Api {
  return createFleetplaneClient({
    baseUrl: c.url,
    token: c.token,
    userAgent: 'fleetplane-cli',
    retry: {
      onRetry: ({ status, attempt, delayMs }) =>
        log(`server answered ${status}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt})`),
    },
  });
}
