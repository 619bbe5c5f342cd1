import { upgradeWebSocket } from '@hono/node-server';
import type { Context } from 'hono';
import { LocalPush } from '../push/local-push.js';
import { CLOSE_REVOKED, type PushTarget } from '../push/push.js';

/** In-process push with WebSockets served by @hono/node-server. */
export class NodePush extends LocalPush {
  socket(c: Context, target: PushTarget, after: number, current: () => Promise<number>) {
    // Subscribed before the upgrade completes; what arrives early waits for the open socket.
    let last = after;
    let pending: number | undefined;
    let ended = false;
    let ws: { send(s: string): void; close(code?: number, reason?: string): void } | undefined;
    const deliver = (revision: number) => {
      if (revision <= last) return;
      last = revision;
      if (ws) ws.send(JSON.stringify({ revision }));
      else pending = revision;
    };
    const unsubscribe = this.subscribe(target.clusterUid, {
      revision: deliver,
      end: () => {
        ended = true;
        ws?.close(CLOSE_REVOKED, 'credential revoked');
      },
    });
    return current().then((revision) => {
      deliver(revision);
      return upgradeWebSocket(() => ({
        onOpen: (_event, socket) => {
          ws = socket;
          if (ended) return socket.close(CLOSE_REVOKED, 'credential revoked');
          if (pending !== undefined) socket.send(JSON.stringify({ revision: pending }));
        },
        onClose: () => unsubscribe(),
        onError: () => unsubscribe(),
      }))(c, async () => {}) as Promise<Response>;
    }, (err) => {
      unsubscribe();
      throw err;
    });
  }
}
