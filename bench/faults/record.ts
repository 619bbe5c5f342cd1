/** Every answer a fault scenario's client saw: status, time, Retry-After. */

export interface Answer {
  kind: string;
  /** ms since the scenario's clock started, when sent */
  at: number;
  ms: number;
  /** 0: no answer (connection error); -1: no answer within the hang bound */
  status: number;
  retryAfter: boolean;
}

export const HANG_MS = 10_000;

export async function timed(
  clock: () => number, kind: string, url: string, init: RequestInit, hangMs = HANG_MS,
): Promise<{ answer: Answer; text: string }> {
  const at = clock();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(hangMs) });
    const text = await res.text();
    return { answer: { kind, at, ms: clock() - at, status: res.status, retryAfter: res.headers.has('retry-after') }, text };
  } catch (e) {
    const hang = (e as Error).name === 'TimeoutError';
    return { answer: { kind, at, ms: clock() - at, status: hang ? -1 : 0, retryAfter: false }, text: '' };
  }
}

/** Answers counted by status: "200", "503+RA" (with Retry-After), "conn err", "hang". */
export function byStatus(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const key = a.status === -1 ? 'hang' : a.status === 0 ? 'conn err' : `${a.status}${a.status >= 400 && a.retryAfter ? '+RA' : ''}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export const statusLine = (c: Record<string, number>) =>
  Object.entries(c).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}:${v}`).join(' ') || '-';

/** Answers a fault allows: 2xx, or 429/503 with Retry-After. Everything else counts as bad. */
export const allowed = (a: Answer) => (a.status >= 200 && a.status < 300) || ((a.status === 429 || a.status === 503) && a.retryAfter);
