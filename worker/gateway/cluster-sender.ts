import { pushTargetOf, type Push } from '../push/push.js';
import type { GatewayPeers, TunnelHolder } from './peers.js';
import type { OpenHead } from './tunnel/frames.js';
import { answerOf, clusterUnavailable, tunnelOf, tunnelRequest, type TunnelAnswer } from './tunnel-request.js';

/** Sends one request to a cluster's API server through its connector. */
export type SendToCluster = (head: OpenHead, body: ReadableStream<Uint8Array> | null, signal?: AbortSignal) => Promise<TunnelAnswer>;

/**
 * How this deployment reaches the cluster's connector: on Node the tunnel of
 * the socket this process holds (a 503 when it holds none); on Workers the
 * tenant's Durable Object, which holds every socket of the tenant's connectors.
 */
export function clusterSender(push: Push, cluster: { uid: string; name: string; tenantId: string }): SendToCluster {
  if (push.tunnels) {
    const tunnel = tunnelOf(push.tunnels, cluster);
    return (head, body, signal) => tunnelRequest(tunnel, head, body, signal);
  }
  const relay = push.relay?.bind(push);
  if (!relay) throw clusterUnavailable('this deployment does not carry the cluster gateway');
  const target = pushTargetOf(cluster);
  return (head, body, signal) => relay(target, head, body, signal);
}

/**
 * Node: a cluster whose socket another replica holds, reached through that
 * replica's gateway path with the caller's own credential, over the signed hop
 * (it runs the request as the caller, and forwards it nowhere else).
 */
export function peerSender(peers: GatewayPeers, holder: TunnelHolder, gatewayPath: string, authorization: string): SendToCluster {
  return async (head, body, signal) => {
    const req = new Request(`${holder.url}${gatewayPath}${head.path}`, {
      method: head.method, headers: [...head.headers, ['authorization', authorization]], body, ...(signal ? { signal } : {}),
      ...(body ? { duplex: 'half' } : {}),
    } as RequestInit);
    return answerOf(await peers.forward(req, holder));
  };
}
