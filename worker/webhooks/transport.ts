/** One webhook request as a transport sends it. */
export interface Outgoing {
  url: URL;
  /** the address checked for this attempt, to connect to instead of resolving the name again; undefined where none was resolved */
  address: string | undefined;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface Answer {
  status: number;
  /** the start of the answer's body, at most ANSWER_KEEP_BYTES */
  excerpt: string;
}

/** Sends a webhook request; rejects on a network error or when no answer came within the timeout. Never follows redirects. */
export type Transport = (req: Outgoing) => Promise<Answer>;

/** How much of an answer's body is read and kept; the rest is not read. */
export const ANSWER_KEEP_BYTES = 1024;

export class NoAnswer extends Error {}

/** The first ANSWER_KEEP_BYTES of a body; the rest is cancelled unread. */
export async function readExcerpt(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < ANSWER_KEEP_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all.subarray(0, ANSWER_KEEP_BYTES));
}

/**
 * fetch, as Workers send: redirects come back as answers (and so count as
 * failures), never followed. Workers have no way to pin the address, so
 * `address` is not used here (see UrlPolicy).
 */
export const fetchTransport: Transport = async (o) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), o.timeoutMs);
  try {
    const res = await fetch(o.url, { method: 'POST', headers: o.headers, body: o.body, redirect: 'manual', signal: controller.signal });
    return { status: res.status, excerpt: await readExcerpt(res.body) };
  } catch (err) {
    if (controller.signal.aborted) throw new NoAnswer(`no answer within ${o.timeoutMs / 1000} s`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
};
