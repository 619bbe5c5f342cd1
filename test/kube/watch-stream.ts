import type { ServerResponse } from 'node:http';
import { KubeError } from './errors.js';
import { apiVersionOf, type KindInfo } from './kinds.js';
import type { KubeStore } from './store.js';

/**
 * A watch over HTTP: one JSON object per line, `{type, object}`, on a
 * response that stays open. A resourceVersion too old for the kept history is
 * answered the way the apiserver's watch cache does — 200, then one ERROR event
 * carrying a 410 Expired Status, then the end of the stream.
 */
export interface WatchOptions { bookmarkIntervalMs: number; open: Set<ServerResponse> }

export function serveWatch(
  store: KubeStore, info: KindInfo, namespace: string | undefined, query: URLSearchParams,
  res: ServerResponse, opts: WatchOptions,
): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const write = (type: string, object: unknown) => { if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + '\n'); };
  const timers: NodeJS.Timeout[] = [];
  let stop = () => {};
  const end = () => {
    stop();
    for (const t of timers) clearTimeout(t), clearInterval(t);
    opts.open.delete(res);
    if (!res.writableEnded) res.end();
  };
  opts.open.add(res);
  // The response closes when the client goes away (or we end it); that is the one signal to stop.
  res.on('close', end);

  // sendInitialEvents (the streaming list) starts from the current state whatever the version.
  const initialEvents = query.get('sendInitialEvents') === 'true';
  let watch;
  try {
    watch = store.watch(info, namespace, {
      resourceVersion: initialEvents ? undefined : query.get('resourceVersion'),
      labelSelector: query.get('labelSelector'),
      fieldSelector: query.get('fieldSelector'),
    }, (c) => write(c.type, c.object));
  } catch (e) {
    if (!(e instanceof KubeError)) throw e;
    write('ERROR', e.status());
    end();
    return;
  }
  stop = watch.stop;
  for (const c of watch.initial) write(c.type, c.object);

  if (query.get('allowWatchBookmarks') === 'true') {
    // A bookmark says "you are current up to here" so a client can resume without replaying.
    const bookmark = (annotations?: Record<string, string>) => write('BOOKMARK', {
      kind: info.kind, apiVersion: apiVersionOf(info),
      metadata: { resourceVersion: store.resourceVersion, ...(annotations ? { annotations } : {}) },
    });
    // A streaming list marks the end of its initial state, which is what a client waits for.
    if (initialEvents) bookmark({ 'k8s.io/initial-events-end': 'true' });
    timers.push(setInterval(bookmark, opts.bookmarkIntervalMs));
  }
  const timeout = Number(query.get('timeoutSeconds'));
  if (timeout > 0) timers.push(setTimeout(end, timeout * 1000));
}
