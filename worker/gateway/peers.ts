/** Where another replica holds a cluster's tunnel. */
export interface TunnelHolder {
  replica: string;
  url: string;
  epoch: number;
}

/**
 * Replicas that each hold some connectors' sockets (Node with Postgres): a
 * gateway request reaching a replica without the cluster's tunnel is forwarded
 * once to the replica that has it, over a hop the replicas sign.
 */
export interface GatewayPeers {
  /** The epoch a request was forwarded for, when another replica forwarded it (its hop header verified). */
  forwarded(req: Request): Promise<number | undefined>;
  /** The replica holding the cluster's tunnel, when it is another one. */
  holder(clusterUid: string): Promise<TunnelHolder | undefined>;
  /** The request, sent on to that replica; its answer streamed back. */
  forward(req: Request, to: TunnelHolder): Promise<Response>;
}
