import { ApiError } from '../lib/problem.js';
import type { OpenHead } from './tunnel/frames.js';
import { StreamReset, TooManyStreams, type Tunnel, type TunnelStream } from './tunnel/tunnel.js';

/** How long the cluster's API server has to answer with its headers. */
const HEADERS_TIMEOUT_MS = 30_000;
/** The longest a request (a watch, `logs -f`) stays open; clients reconnect, as from an API server's own timeout. */
export const STREAM_MAX_MS = 30 * 60_000;

/** A request that is not a watch or a follow and moves no byte this long is ended. */
export const IDLE_MS = 60_000;
const isLongLived = (path: string) => /[?&](watch=(true|1)|follow=true)(&|$)/.test(path);

export const clusterUnavailable = (detail: string) => new ApiError(503, 'cluster_unavailable', detail, undefined, { 'Retry-After': '5' });

/** The tunnel of the cluster's connector on this replica, or a 503 saying why there is none. */
export function tunnelOf(tunnels: { get(uid: string): Tunnel | undefined }, cluster: { uid: string; name: string }): Tunnel {
  const tunnel = tunnels.get(cluster.uid);
  if (!tunnel || tunnel.closed) throw clusterUnavailable(`cluster "${cluster.name}" has no connector connected to the gateway now`);
  return tunnel;
}

export interface TunnelAnswer {
  status: number;
  headers: [string, string][];
  body: ReadableStream<Uint8Array>;
}

/** An HTTP answer (a Durable Object's, another replica's) as a TunnelAnswer. */
export const answerOf = (res: Response): TunnelAnswer => ({
  status: res.status, headers: [...res.headers.entries()], body: res.body ?? new ReadableStream({ start: (c) => c.close() }),
});

/** Statuses whose Response may not carry a body. */
const BODYLESS = new Set([101, 204, 205, 304]);

/** The answer as a Response to hand on, with these headers; an answer to HEAD or a bodyless status without its (empty) body. */
export function responseOf(answer: TunnelAnswer, headers: [string, string][], method: string): Response {
  const bodyless = method === 'HEAD' || BODYLESS.has(answer.status);
  if (bodyless) void answer.body.cancel().catch(() => {});
  return new Response(bodyless ? null : answer.body, { status: answer.status, headers });
}

/** Sends the caller's body through the stream, within its credit; a failure resets the stream. */
async function sendBody(body: ReadableStream<Uint8Array> | null, stream: TunnelStream) {
  try {
    if (body) for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) await stream.write(chunk);
    stream.end();
  } catch (err) {
    stream.reset(`the request body could not be read: ${(err as Error).message}`);
  }
}

/**
 * One request to a cluster's API server through its connector's tunnel: the
 * body streamed out, the answer's headers awaited (30 s), its body streamed
 * back. The stream ends when `signal` aborts (the caller went away) or after
 * STREAM_MAX_MS. A redirect is never followed nor handed on (CVE-2022-3172).
 */
export async function tunnelRequest(
  tunnel: Tunnel, head: OpenHead, body: ReadableStream<Uint8Array> | null, signal?: AbortSignal,
  /** ends the stream when no byte went either way this long (not for watches and follows, which may wait for minutes) */
  idleMs = isLongLived(head.path) ? undefined : IDLE_MS,
): Promise<TunnelAnswer> {
  let stream: TunnelStream;
  try {
    stream = tunnel.open(head);
  } catch (err) {
    if (err instanceof TooManyStreams || err instanceof StreamReset) throw clusterUnavailable(err.message);
    throw err;
  }
  const goneAway = () => stream.reset('the caller went away');
  signal?.addEventListener('abort', goneAway, { once: true });
  const lifetime = setTimeout(() => stream.reset(`the gateway ends requests after ${STREAM_MAX_MS / 60_000} minutes`), STREAM_MAX_MS);
  const idle = idleMs === undefined ? undefined : setInterval(() => {
    if (Date.now() - stream.lastActive > idleMs) stream.reset(`nothing went either way for ${idleMs / 1000} s`);
  }, Math.max(10, idleMs / 4));
  stream.onDone = () => {
    clearTimeout(lifetime);
    clearInterval(idle);
    signal?.removeEventListener('abort', goneAway);
  };
  void sendBody(body, stream);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stream.reset('no answer in time');
      reject(new ApiError(504, 'gateway_timeout', `the cluster's API server did not answer within ${HEADERS_TIMEOUT_MS / 1000} s`));
    }, HEADERS_TIMEOUT_MS);
  });
  let answer;
  try {
    answer = await Promise.race([stream.head, late]);
  } catch (err) {
    if (err instanceof StreamReset) throw new ApiError(502, 'bad_gateway', `the cluster did not answer: ${err.message}`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  if (answer.status >= 300 && answer.status < 400) {
    stream.reset('redirect refused');
    throw new ApiError(502, 'bad_gateway', `the cluster's API server answered a redirect (${answer.status}), which the gateway does not pass on`);
  }
  return { status: answer.status, headers: answer.headers, body: stream.readable };
}
