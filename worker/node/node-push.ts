import { upgradeWebSocket } from '@hono/node-server';
import type { Context } from 'hono';
import { Tunnel } from '../gateway/tunnel/tunnel.js';
import { LocalPush } from '../push/local-push.js';
import { CLOSE_REVOKED, type PushTarget } from '../push/push.js';

/** The tunnels of the sockets this replica holds, by cluster, with the epoch each was recorded under. */
class GatewayTunnels extends Map<string, Tunnel> {
  readonly epochs = new Map<string, number>();
  epoch(clusterUid: string) {
    return this.epochs.get(clusterUid);
  }
}

/** Requests open through one connector at once (each may hold one 64 KiB window there). */
export const GATEWAY_MAX_STREAMS = 64;

/**
 * In-process push with WebSockets served by @hono/node-server. A connector's
 * socket also carries its gateway tunnel (binary messages), kept here by
 * cluster while the socket is open.
 */
export class NodePush extends LocalPush {
  readonly tunnels = new GatewayTunnels();
  /** told when this replica starts and stops holding a cluster's tunnel (gateway routing between replicas) */
  tunnelHooks: { opened(clusterUid: string): Promise<number>; closed(clusterUid: string, epoch: number): Promise<void> } | undefined;

  socket(c: Context, target: PushTarget, after: number, current: () => Promise<number>) {
    // Subscribed before the upgrade completes; what arrives early waits for the open socket.
    let last = after;
    let pending: number | undefined;
    let ended = false;
    let ws: { send(s: string): void; close(code?: number, reason?: string): void } | undefined;
    let tunnel: Tunnel | undefined;
    const closed = () => {
      unsubscribe();
      tunnel?.close("the connector's socket closed");
      if (tunnel && this.tunnels.get(target.clusterUid) === tunnel) {
        this.tunnels.delete(target.clusterUid);
        const epoch = this.tunnels.epochs.get(target.clusterUid);
        this.tunnels.epochs.delete(target.clusterUid);
        if (epoch !== undefined) this.tunnelHooks?.closed(target.clusterUid, epoch).catch((err) => console.error('gateway: releasing the tunnel failed:', err));
      }
    };
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
          // the newest socket of a cluster carries its gateway; an older one's requests end with it
          const mine = new Tunnel({ opener: true, maxStreams: GATEWAY_MAX_STREAMS, send: (frame) => socket.send(frame) });
          tunnel = mine;
          this.tunnels.get(target.clusterUid)?.close('the connector opened a new socket');
          this.tunnels.set(target.clusterUid, mine);
          this.tunnelHooks?.opened(target.clusterUid).then((epoch) => {
            if (this.tunnels.get(target.clusterUid) === mine) this.tunnels.epochs.set(target.clusterUid, epoch);
            else void this.tunnelHooks?.closed(target.clusterUid, epoch);
          }, (err) => console.error('gateway: recording the tunnel failed:', err));
        },
        onMessage: (event) => {
          if (event.data instanceof ArrayBuffer) tunnel?.receive(new Uint8Array(event.data));
        },
        onClose: () => closed(),
        onError: () => closed(),
      }))(c, async () => {}) as Promise<Response>;
    }, (err) => {
      unsubscribe();
      throw err;
    });
  }
}
