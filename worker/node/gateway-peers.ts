import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { gatewayRoutes } from '../../db/schema/index.js';
import type { GatewayPeers, TunnelHolder } from '../gateway/peers.js';
import { responseHeaders } from '../gateway/tunnel/policy.js';
import { clusterUnavailable } from '../gateway/tunnel-request.js';
import { problemBody } from '../lib/problem.js';

/** Set by the replica that forwards: `<epoch>.<HMAC of method, path and epoch>`; dropped before anything reaches a cluster. */
export const HOP_HEADER = 'x-fleetplane-gateway-hop';
const encoder = new TextEncoder();
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const signed = (req: Request, epoch: number) => {
  const url = new URL(req.url);
  return encoder.encode(`${req.method} ${url.pathname}${url.search} ${epoch}`);
};

/**
 * Gateway routing between Node replicas on one Postgres: which replica holds
 * each cluster's tunnel (gateway_routes, with an epoch per socket), and the
 * signed hop that forwards a request there once. The hop's key comes from the
 * signing key every replica already shares.
 */
export class NodeGatewayPeers implements GatewayPeers {
  readonly replica = crypto.randomUUID();
  /** how other replicas reach this one (FLEETPLANE_REPLICA_URL, else the address it listens on) */
  url = '';
  private readonly key: Promise<CryptoKey>;

  constructor(private readonly db: Db, signingKey: string) {
    this.key = crypto.subtle.digest('SHA-256', encoder.encode(`fleetplane gateway hop\n${signingKey}`))
      .then((raw) => crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']));
  }

  /** This replica holds the cluster's tunnel now: the new epoch. */
  async claim(clusterUid: string): Promise<number> {
    const [row] = await this.db.insert(gatewayRoutes).values({ clusterUid, replica: this.replica, url: this.url, epoch: 1 })
      .onConflictDoUpdate({
        target: gatewayRoutes.clusterUid,
        set: { replica: this.replica, url: this.url, epoch: sql`${gatewayRoutes.epoch} + 1`, since: sql`now()` },
      })
      .returning({ epoch: gatewayRoutes.epoch });
    return row!.epoch;
  }

  /** The socket of that epoch closed (a newer one, on any replica, keeps its row). */
  async release(clusterUid: string, epoch: number) {
    await this.db.delete(gatewayRoutes).where(and(eq(gatewayRoutes.clusterUid, clusterUid), eq(gatewayRoutes.replica, this.replica), eq(gatewayRoutes.epoch, epoch)));
  }

  async holder(clusterUid: string): Promise<TunnelHolder | undefined> {
    const [row] = await this.db.select().from(gatewayRoutes).where(eq(gatewayRoutes.clusterUid, clusterUid)).limit(1);
    return row && row.replica !== this.replica ? { replica: row.replica, url: row.url, epoch: row.epoch } : undefined;
  }

  async forwarded(req: Request): Promise<number | undefined> {
    const m = /^(\d{1,15})\.([0-9a-f]{64})$/.exec(req.headers.get(HOP_HEADER) ?? '');
    if (!m) return undefined;
    const epoch = Number(m[1]);
    const sig = Uint8Array.from(m[2]!.match(/../g)!.map((h) => parseInt(h, 16)));
    return (await crypto.subtle.verify('HMAC', await this.key, sig, signed(req, epoch))) ? epoch : undefined;
  }

  /** The hop header that says this replica forwarded the request for that epoch. */
  async hop(req: Request, epoch: number): Promise<string> {
    return `${epoch}.${hex(await crypto.subtle.sign('HMAC', await this.key, signed(req, epoch)))}`;
  }

  async forward(req: Request, to: TunnelHolder): Promise<Response> {
    const url = new URL(req.url);
    const headers = new Headers(req.headers);
    headers.delete('host');
    // fetch would decode a compressed answer yet keep its Content-Encoding: ask for none
    headers.set('accept-encoding', 'identity');
    headers.set(HOP_HEADER, await this.hop(req, to.epoch));
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    let res: Response;
    try {
      res = await fetch(`${to.url}${url.pathname}${url.search}`, {
        method: req.method, headers, body: hasBody ? req.body : undefined, redirect: 'manual', signal: req.signal,
        ...(hasBody ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (err) {
      const e = clusterUnavailable(`the replica holding this cluster's connector cannot be reached: ${(err as Error).message}`);
      return Response.json(problemBody(e, ''), { status: 503, headers: { 'Content-Type': 'application/problem+json', ...e.headers } });
    }
    return new Response(res.body, { status: res.status, headers: responseHeaders([...res.headers.entries()]) });
  }
}
