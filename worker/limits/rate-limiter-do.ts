import { refill, retryAfter, type Bucket } from '../lib/rate-limit.js';
import type { DurableObjectState } from '../push/workers-types.js';

/**
 * An idle Durable Object leaves memory after 10 s without requests (so says
 * Cloudflare's lifecycle page today): a bucket that refills within that time
 * is full by then anyway, so memory is enough for it. One that takes longer
 * (failed authentications are counted per minute) is also written to
 * storage, or an attacker pausing 10 s would start over with a full bucket.
 */
const MEMORY_ONLY_REFILL_MS = 10_000;

/** What storage keeps: the bucket and its rate, which the alarm needs to tell when it is full. */
interface Saved extends Bucket {
  perSecond: number;
  burst: number;
}

export type RateLimiterAnswer = { ok: true } | { ok: false; retryAfter: number };

const OPS = new Set(['take', 'check', 'charge']);

/**
 * Workers' rate limits: one Durable Object per bucket key, so every isolate
 * that serves a caller draws from the same bucket. `POST /take`, `/check` or
 * `/charge` with `?perSecond=&burst=` (the semantics of `rateLimiter`'s
 * methods) answers `{ ok: true }` or `{ ok: false, retryAfter }` (seconds).
 * The rate comes with each request: the object is named by bucket and key
 * only, and a changed limit applies from the next request.
 */
export class RateLimiter {
  private bucket: Bucket | undefined;
  private loaded = false;

  constructor(private readonly state: DurableObjectState) {}

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const op = url.pathname.slice(1);
    if (request.method !== 'POST' || !OPS.has(op)) return new Response('not found', { status: 404 });
    const perSecond = Number(url.searchParams.get('perSecond'));
    const burst = Number(url.searchParams.get('burst'));
    if (!(perSecond > 0 && burst > 0 && Number.isFinite(perSecond) && Number.isFinite(burst))) {
      return new Response('perSecond and burst must be positive numbers', { status: 400 });
    }
    const durable = (burst / perSecond) * 1000 > MEMORY_ONLY_REFILL_MS;
    if (durable && !this.loaded) {
      // requests wait meanwhile (the input gate), so none sees a bucket half loaded
      this.bucket ??= await this.state.storage.get<Saved>('bucket');
      this.loaded = true;
    }
    const t = Date.now();
    const b = (this.bucket = refill(this.bucket ?? { tokens: burst, at: t }, t, perSecond, burst));
    if (op !== 'charge' && b.tokens < 1) return Response.json({ ok: false, retryAfter: retryAfter(b.tokens, perSecond) } satisfies RateLimiterAnswer);
    if (op === 'check') return Response.json({ ok: true } satisfies RateLimiterAnswer);
    b.tokens = Math.max(0, b.tokens - 1);
    if (durable) await this.save({ tokens: b.tokens, at: b.at, perSecond, burst });
    return Response.json({ ok: true } satisfies RateLimiterAnswer);
  }

  private async save(saved: Saved) {
    await Promise.all([this.state.storage.put('bucket', saved), this.state.storage.setAlarm(fullAt(saved))]);
  }

  /** Once the bucket is full again there is nothing to remember: storage is emptied, so idle keys cost nothing. */
  async alarm() {
    const saved = await this.state.storage.get<Saved>('bucket');
    if (!saved) return;
    // early (run again after a failure, or by hand): look again when it is full
    if (Date.now() < fullAt(saved)) return this.state.storage.setAlarm(fullAt(saved));
    await this.state.storage.deleteAll();
    this.bucket = undefined;
  }
}

/** When a saved bucket holds `burst` tokens again. */
const fullAt = (s: Saved) => s.at + ((s.burst - s.tokens) / s.perSecond) * 1000;
