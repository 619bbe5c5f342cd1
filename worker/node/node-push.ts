import { upgradeWebSocket } from '@hono/node-server';
import type { Context } from 'hono';
import { LocalPush } from '../push/local-push.js';
import type { PushTarget } from '../push/push.js';

/** In-process push with WebSockets served by @hono/node-server. */
export class NodePush extends LocalPush {
  socket(c: Context, target: PushTarget, after: number) {
    // Subscribed before the upgrade completes; the newest revision waits for the open socket.
    let last = after;
    let pending: number | undefined;
    let send: ((revision: number) => void) | undefined;
    const unsubscribe = this.subscribe(target.clusterUid, (revision) => {
      if (revision <= last) return;
      last = revision;
      if (send) send(revision);
      else pending = revision;
    });
    return upgradeWebSocket(() => ({
      onOpen: (_event, ws) => {
        send = (revision) => ws.send(JSON.stringify({ revision }));
        if (pending !== undefined) send(pending);
      },
      onClose: () => unsubscribe(),
      onError: () => unsubscribe(),
    }))(c, async () => {}) as Promise<Response>;
  }
}
