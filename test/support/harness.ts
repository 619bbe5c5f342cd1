import { sharedDb, type Db } from '../../db/client.js';
import { createApp } from '../../worker/app.js';
import { unpark } from '../../worker/lib/parked.js';
import { oidcVerifier } from '../../worker/auth/oidc.js';
import { generatePrivateJwk, loadSigningKeys, type SigningKeys } from '../../worker/auth/signing-keys.js';
import { base64url, randomBytes, sha256Hex } from '../../worker/lib/crypto.js';
import { LocalPush } from '../../worker/push/local-push.js';
import type { RateLimits } from '../../worker/lib/throttles.js';
import { RenderPool } from '../../worker/node/render-pool/pool.js';
import { testClock, type TestClock } from './clock.js';
import { startRemoteHarness } from './remote-harness.js';
import { driverUnderTest, openTestDatabase, type Driver } from './database.js';
import { DeliveryLoop } from '../../worker/node/webhook-loop.js';
import { pinnedTransport } from '../../worker/node/webhook-transport.js';
import type { Resolve } from '../../worker/webhooks/url-policy.js';
import { startOidcIssuer, type OidcIssuer } from './oidc-issuer.js';

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls as tests make them: a token, a JSON body, the answer parsed. */
export function caller(fetchFn: (path: string, init?: RequestInit) => Promise<Response>) {
  return async function call<T = any>(method: string, path: string, o: CallOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetchFn(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
}

export interface HarnessOptions {
  driver?: Driver;
  rateLimit?: number;
  limits?: Partial<RateLimits>;
  /** in-process only: FLEETPLANE_WEBHOOK_ALLOW_PRIVATE, and how long a webhook answer is awaited */
  webhooks?: { allowPrivate?: boolean; timeoutMs?: number };
}

/**
 * Host names as the tests' webhooks resolve them (no real DNS): a name maps to
 * its addresses, which a test may change; any other name does not resolve.
 */
export function testHosts() {
  const hosts = new Map<string, string[]>();
  const resolve: Resolve = async (name) => {
    const found = hosts.get(name);
    if (!found) throw new Error(`getaddrinfo ENOTFOUND ${name}`);
    return found;
  };
  return { hosts, resolve };
}

/** What every test gets, whether the app runs in this process or behind `npm run dev:worker`. */
export interface Harness {
  driver: Driver;
  db: Db;
  clock: TestClock;
  oidc: OidcIssuer;
  adminToken: string;
  call: ReturnType<typeof caller>;
  /** a raw request to the app (a path, or a URL of it) */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** long polls waiting, where the harness can see them (in-process only) */
  waiting?: () => number;
  close(): Promise<void>;
}

/**
 * The whole app on a fresh database, with a test clock and a local OIDC
 * issuer: in this process, or (FP_TEST_DB=devworker) in workerd behind `npm run dev:worker`.
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const driver = opts.driver ?? driverUnderTest();
  if (driver === 'devworker') return startRemoteHarness(opts);
  return startLocalHarness({ ...opts, driver });
}

/** The app in this process, with its internals at hand (keys, push, renderer) for the tests that look at them. */
export async function startLocalHarness(opts: HarnessOptions = {}) {
  const driver = opts.driver ?? driverUnderTest();
  if (driver === 'devworker') throw new Error('startLocalHarness: this suite runs in-process only');
  const database = await openTestDatabase(driver);
  const clock = testClock();
  const oidc = await startOidcIssuer();
  const keys: SigningKeys = await loadSigningKeys(JSON.stringify({ keys: [await generatePrivateJwk()] }));
  const adminToken = `fp_${base64url(randomBytes(32))}`;
  const push = new LocalPush();
  const renderer = new RenderPool();
  const { hosts, resolve } = testHosts();
  const policy = { allowPrivate: opts.webhooks?.allowPrivate ?? false, resolve };
  const deliveries = new DeliveryLoop({
    db: database.db, now: clock.now, policy, transport: pinnedTransport,
    ...(opts.webhooks?.timeoutMs ? { timeoutMs: opts.webhooks.timeoutMs } : {}),
  });
  const app = createApp({
    db: sharedDb(database.db),
    keys,
    adminTokenHash: await sha256Hex(adminToken),
    oidc: oidcVerifier(oidc, 0),
    oidcLogin: { issuer: oidc.issuer, clientId: oidc.audience },
    publicUrl: 'https://fleetplane.test',
    limits: { caller: opts.rateLimit ?? 0, tenant: 0, connector: 0, authFailuresPerMinute: 0, ...opts.limits },
    // tests name the source they come from; one source when they do not
    sourceOf: (c) => c.req.header('x-test-source') ?? 'test',
    now: clock.now,
    push,
    renderer,
    webhooks: { ...policy, enqueued: async () => deliveries.wake() },
    // as Node's server: a watch waits after the middleware has returned
    parks: true,
  });

  const fetchApp = async (path: string, init?: RequestInit) => {
    const req = new Request(new URL(path, 'http://localhost'), init);
    return unpark(req, await app.fetch(req));
  };

  return {
    driver: driver as Driver,
    db: database.db as Db,
    app,
    keys,
    push,
    renderer,
    /** the webhook sender, on the test clock: move the clock, then `wake()` and `settled()` */
    deliveries,
    /** where webhook host names resolve (see testHosts) */
    hosts,
    clock,
    oidc,
    adminToken,
    call: caller(fetchApp),
    fetch: fetchApp,
    /** long polls waiting in this process (seen only in-process) */
    waiting: () => push.waiting,
    close: async () => {
      await deliveries.stop();
      await renderer.close();
      await oidc.close();
      await database.close();
    },
  };
}


export type LocalHarness = Awaited<ReturnType<typeof startLocalHarness>>;

export const ROLES = ['owner', 'admin', 'operator', 'viewer'] as const;

/** A tenant with one API token per role. */
export async function seedTenant(h: Harness, name: string) {
  const put = await h.call('PUT', `/v1/tenants/${name}`, { token: h.adminToken, body: { spec: { displayName: name } } });
  if (put.status !== 201) throw new Error(`seed tenant ${name}: ${put.status} ${JSON.stringify(put.body)}`);
  const tokens = {} as Record<(typeof ROLES)[number], string>;
  for (const role of ROLES) {
    const r = await h.call('POST', `/v1/tenants/${name}/tokens`, {
      token: h.adminToken,
      body: { spec: { role, description: `${role} token` } },
    });
    if (r.status !== 201) throw new Error(`seed token: ${r.status} ${JSON.stringify(r.body)}`);
    tokens[role] = r.body.token;
  }
  return { name, uid: put.body.metadata.uid as string, tokens };
}

export type SeededTenant = Awaited<ReturnType<typeof seedTenant>>;

/** A harness with one tenant already seeded: the usual start of a test file. */
export async function harnessWithTenant(name = 'acme', opts: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(opts);
  return { h, tenant: await seedTenant(h, name) };
}
