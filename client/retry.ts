/** Statuses that mean "not done, try again later": rate limited, or unavailable for a moment. */
const RETRYABLE = new Set([429, 503]);

export interface RetryOptions {
  /** retries after the first attempt (default 5) */
  retries?: number;
  /** first backoff step when the server gives no Retry-After (default 250 ms) */
  baseDelayMs?: number;
  /** cap of one wait, whether computed or asked for by Retry-After (default 30 s) */
  maxDelayMs?: number;
  /** told before each wait, e.g. to print "retrying in 2 s" */
  onRetry?: (info: { status: number; attempt: number; delayMs: number; url: string }) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined if absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Capped exponential backoff with full jitter: a random wait in [0, min(cap, base·2^attempt)]. */
export function backoffMs(attempt: number, o: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {}) {
  const ceiling = Math.min(o.maxDelayMs ?? 30_000, (o.baseDelayMs ?? 250) * 2 ** attempt);
  return Math.round((o.random ?? Math.random)() * ceiling);
}

const sleeper = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A fetch that answers 429 and 503 by waiting and sending the request again:
 * as long as Retry-After asks (capped), else with capped exponential backoff and jitter.
 * The body is kept (the request is cloned per attempt), so writes retry too:
 * a 429 or 503 from Fleetplane means the request was not carried out.
 */
export function retryingFetch(options: RetryOptions = {}, base: typeof fetch = globalThis.fetch) {
  const retries = options.retries ?? 5;
  const sleep = options.sleep ?? sleeper;
  return async (input: Request, init?: RequestInit): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      const res = await base(attempt < retries ? input.clone() : input, init);
      if (!RETRYABLE.has(res.status) || attempt >= retries) return res;
      const asked = retryAfterMs(res.headers.get('retry-after'));
      const delayMs = asked !== undefined ? Math.min(asked, options.maxDelayMs ?? 30_000) : backoffMs(attempt, options);
      await res.body?.cancel();
      options.onRetry?.({ status: res.status, attempt: attempt + 1, delayMs, url: input.url });
      await sleep(delayMs);
    }
  };
}
