import type { GatewayPeers } from './gateway/peers.js';
import type { Db, DbProvider } from '../db/client.js';
import type { Principal } from './auth/principal.js';
import type { Role } from './auth/roles.js';
import type { OidcVerifier } from './auth/oidc.js';
import type { SigningKeys } from './auth/signing-keys.js';
import type { Push } from './push/push.js';
import type { FeedNotes } from './push/feed.js';
import type { TenantRow } from '../db/schema/index.js';
import type { BucketFactory } from './lib/buckets.js';
import type { RateLimits, SourceOf } from './lib/throttles.js';
import type { Renderer } from './rendering/renderer.js';
import type { WebhookDeps } from './webhooks/deps.js';
import type { HeartbeatWriterFn } from './heartbeats/durable-heartbeats.js';
import type { ReportWriterFn } from './reports/durable-reports.js';

/** Everything the app needs from its host (Node or Workers), injected once. */
export interface AppDeps {
  db: DbProvider;
  keys: SigningKeys;
  /** SHA-256 hex of the platform admin token, if one is configured */
  adminTokenHash: string | undefined;
  oidc: OidcVerifier | undefined;
  /** the console's single sign-on (authorization code with PKCE), when OIDC is configured */
  oidcLogin?: { issuer: string; clientId: string } | undefined;
  publicUrl: string | undefined;
  /** rate limits (0 turns one off) and where a request comes from, for the per-source limit */
  limits: RateLimits;
  sourceOf: SourceOf;
  /** where the rate limits' buckets are kept; this process unless given (Workers: shared by every isolate) */
  buckets?: BucketFactory;
  now: () => Date;
  /** Workers: close per-request connections after the response (ctx.waitUntil) instead of before it */
  releaseAfterResponse?: boolean;
  /** the host answers a parked long wait after the middleware has returned (lib/parked.ts): Node's server */
  parks?: boolean;
  /** who writes a heartbeat: this process's batches unless given (Workers: the HeartbeatWriter objects) */
  heartbeats?: HeartbeatWriterFn;
  /** who stores a status report: this process's batches unless given (Workers: the StatusWriter objects) */
  reports?: ReportWriterFn;
  /** wakes waiting connectors when a desired revision grows */
  push: Push;
  /** where app templates are rendered: inline on Workers, a worker-thread pool on Node */
  renderer: Renderer;
  /** which webhook URLs are allowed (and how names resolve), and who sends new deliveries */
  webhooks: WebhookDeps;
  /** Node replicas on one Postgres: gateway requests forwarded to the replica holding the cluster's tunnel */
  gatewayPeers?: GatewayPeers;
}

export interface TenantAccess {
  tenant: TenantRow;
  role: Role;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    deps: AppDeps;
    db: Db;
    /** Gives the request's database connection back early (a parked watch needs none); idempotent. */
    releaseDb: () => Promise<void>;
    principal: Principal;
    access: TenantAccess;
    /** what the request changed, for the console's live feed (announced after the response) */
    feed: FeedNotes;
  };
};
