import type { SendToCluster } from './cluster-sender.js';
import type { PodSelector } from './pod-selectors.js';

export interface LogQuery {
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  follow: boolean;
}

/** One placed cluster: how to reach it (or why it cannot be reached) and where the app's pods are. */
export interface ClusterLogSource {
  name: string;
  send: SendToCluster | Error;
  selectors: PodSelector[];
}

/** Log streams per cluster: the connector carries 64 streams in all, and a watch or a kubectl of the caller's needs room too. */
export const MAX_STREAMS_PER_CLUSTER = 32;
const MAX_LIST_BYTES = 8 * 1024 * 1024;
const encoder = new TextEncoder();

async function readText(body: ReadableStream<Uint8Array>, max: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    if (text.length > max) {
      await body.cancel().catch(() => {});
      throw new Error(`the answer exceeds ${max} bytes`);
    }
  }
  return text + decoder.decode();
}

/** The API server's Status message of a failed answer, else its status. */
async function failure(status: number, body: ReadableStream<Uint8Array>) {
  const text = await readText(body, 64 * 1024).catch(() => '');
  try {
    return `${status}: ${(JSON.parse(text) as { message?: string }).message ?? text}`;
  } catch {
    return `${status}: ${text.slice(0, 200)}`;
  }
}

/** Each line of a stream of text, as it arrives. */
async function* lines(body: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let at: number;
    while ((at = rest.indexOf('\n')) >= 0) {
      yield rest.slice(0, at);
      rest = rest.slice(at + 1);
    }
  }
  rest += decoder.decode();
  if (rest) yield rest;
}

/**
 * The logs of an app's pods on many clusters as one NDJSON stream (API.md
 * `/apps/{app}/logs`): each cluster's pods are listed and each container's log
 * read through the cluster's tunnel as the caller (the cluster's RBAC decides),
 * lines merged as they arrive; a cluster that cannot answer adds one
 * `{ cluster, error }` line and the others go on. A slow reader slows the
 * streams (each line waits for the one before to be taken), so nothing piles up.
 */
export function mergedLogs(sources: ClusterLogSource[], q: LogQuery, as: { user: string; groups: string[] }, signal: AbortSignal): ReadableStream<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const stop = new AbortController();
  const cancel = () => stop.abort();
  signal.addEventListener('abort', cancel, { once: true });
  writer.closed.catch(cancel); // the reader went away
  const emit = (line: object) => writer.write(encoder.encode(`${JSON.stringify(line)}\n`));
  const get = (send: SendToCluster, path: string) => send({ method: 'GET', path, headers: [['accept', 'application/json']], as }, null, stop.signal);

  async function cluster(s: ClusterLogSource) {
    if (s.send instanceof Error) return emit({ cluster: s.name, error: s.send.message });
    const tunnel = s.send;
    const pods = new Map<string, { namespace: string; name: string; containers: string[] }>();
    for (const sel of s.selectors) {
      const list = await get(tunnel, `/api/v1/namespaces/${encodeURIComponent(sel.namespace)}/pods?labelSelector=${encodeURIComponent(sel.selector)}`);
      if (list.status !== 200) throw new Error(`listing pods in ${sel.namespace}: ${await failure(list.status, list.body)}`);
      const items = (JSON.parse(await readText(list.body, MAX_LIST_BYTES)) as { items?: any[] }).items ?? [];
      for (const p of items) {
        const containers = ((p.spec?.containers ?? []) as { name: string }[]).map((c) => c.name).filter((c) => !q.container || c === q.container);
        pods.set(`${p.metadata.namespace}/${p.metadata.name}`, { namespace: p.metadata.namespace, name: p.metadata.name, containers });
      }
    }
    const streams = [...pods.values()].flatMap((p) => p.containers.map((container) => ({ ...p, container })));
    if (streams.length > MAX_STREAMS_PER_CLUSTER) {
      await emit({ cluster: s.name, error: `${streams.length} containers match; the logs of the first ${MAX_STREAMS_PER_CLUSTER} only (name a container or a cluster)` });
    }
    const params: Record<string, string> = {
      timestamps: 'true', ...(q.follow ? { follow: 'true' } : {}),
      ...(q.tailLines !== undefined ? { tailLines: String(q.tailLines) } : {}), ...(q.sinceSeconds !== undefined ? { sinceSeconds: String(q.sinceSeconds) } : {}),
    };
    await Promise.all(streams.slice(0, MAX_STREAMS_PER_CLUSTER).map(async (p) => {
      const path = `/api/v1/namespaces/${encodeURIComponent(p.namespace)}/pods/${encodeURIComponent(p.name)}/log?${new URLSearchParams({ ...params, container: p.container })}`;
      try {
        const log = await get(tunnel, path);
        if (log.status !== 200) throw new Error(await failure(log.status, log.body));
        for await (const text of lines(log.body)) {
          const space = text.indexOf(' ');
          const [at, line] = space > 0 ? [text.slice(0, space), text.slice(space + 1)] : ['', text];
          await emit({ cluster: s.name, namespace: p.namespace, pod: p.name, container: p.container, at, line });
        }
      } catch (err) {
        if (!stop.signal.aborted) await emit({ cluster: s.name, error: `pod ${p.name}, container ${p.container}: ${(err as Error).message}` });
      }
    }));
  }

  void Promise.all(sources.map((s) => cluster(s).catch((err: Error) => {
    if (!stop.signal.aborted) return emit({ cluster: s.name, error: err.message });
  }))).then(() => writer.close(), () => {}).catch(() => {}).finally(() => signal.removeEventListener('abort', cancel));
  return readable;
}
