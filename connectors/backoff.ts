/** Retry timing: capped exponential backoff with jitter, Retry-After, jittered intervals. All pure. */

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 60_000 };

/**
 * The wait before retry number `attempt` (0 = first retry): "equal jitter"
 * (half fixed, half random) of min(cap, base·2^attempt), so retries of many
 * connectors spread out yet never come back at once.
 */
export function backoffDelay(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The wait after a failed call: the server's Retry-After when it gave one (never less), else the backoff. */
export function retryDelay(attempt: number, retryAfter: number | undefined, o: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const backoff = backoffDelay(attempt, o, random);
  if (retryAfter === undefined) return backoff;
  // honour the server, plus a little jitter so a fleet told "10 s" does not return in the same millisecond
  return retryAfter + Math.round(random() * Math.min(1000, retryAfter * 0.1 + 100));
}

/** An interval spread by ±fraction (heartbeats and periodic re-applies of a fleet do not align). */
export function jittered(intervalMs: number, fraction = 0.1, random: () => number = Math.random): number {
  return Math.round(intervalMs * (1 - fraction + 2 * fraction * random()));
}

/** A sleep that `wake()` (or the signal) ends early. */
export function pause(ms: number, signal?: AbortSignal): { done: Promise<void>; wake: () => void } {
  let wake = () => {};
  const done = new Promise<void>((resolve) => {
    const t = setTimeout(end, ms);
    function end() {
      clearTimeout(t);
      signal?.removeEventListener('abort', end);
      resolve();
    }
    wake = end;
    if (signal?.aborted) end();
    else signal?.addEventListener('abort', end, { once: true });
  });
  return { done, wake };
}

export const sleep = (ms: number, signal?: AbortSignal) => pause(ms, signal).done;
