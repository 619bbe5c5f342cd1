import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { apiTokens, tenants } from '../../db/schema/index.js';
import type { AppDeps } from '../context.js';
import type { Db } from '../../db/client.js';
import { preparedPerDb } from '../../db/prepared.js';
import { sha256Hex } from '../lib/crypto.js';
import { unauthorized } from '../lib/problem.js';
import { CONNECTOR_ISSUER, verifiedConnectorCredential, verifyConnectorCredential, type ConnectorClaims } from './connector-credential.js';
import type { Principal } from './principal.js';
import type { Role } from './roles.js';

export const API_TOKEN_PREFIX = 'fp_';

/** Every request with an API token runs this; the token's tenant comes along, so tenant routes need no second query. */
const tokenByHash = preparedPerDb((db) =>
  db
    .select({ name: apiTokens.name, tenantId: apiTokens.tenantId, spec: apiTokens.spec, expiresAt: apiTokens.expiresAt, tenant: tenants })
    .from(apiTokens)
    .innerJoin(tenants, eq(tenants.uid, apiTokens.tenantId))
    .where(and(
      eq(apiTokens.secretHash, sql.placeholder('hash')),
      or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql.placeholder('now'))),
    ))
    .limit(1)
    .prepare('fp_token_by_hash'),
);

/**
 * The SHA-256 of API tokens that were found, so that a client's every request
 * does not hash its token again (WebCrypto's digest was a sixth of a GET's CPU
 * on Node). Only the hash is remembered, never whether the token holds: the
 * lookup below still runs each time, so a revoked token fails at once. Filled
 * only after a successful lookup, so unknown tokens cannot push the known out.
 */
const knownHashes = new Map<string, string>();
const KNOWN_HASHES_MAX = 10_000;

function rememberHash(token: string, hash: string) {
  if (knownHashes.has(token)) return;
  if (knownHashes.size >= KNOWN_HASHES_MAX) knownHashes.delete(knownHashes.keys().next().value!);
  knownHashes.set(token, hash);
}

async function fromApiToken(deps: AppDeps, db: Db, token: string): Promise<Principal> {
  const hash = knownHashes.get(token) ?? (await sha256Hex(token));
  if (deps.adminTokenHash && hash === deps.adminTokenHash) {
    rememberHash(token, hash);
    return { kind: 'admin', id: 'admin' };
  }
  // found before, and neither it nor its tenant changed since (every replica hears of such changes)
  const cache = deps.push.tokens;
  const cached = cache?.get(hash, Date.now(), deps.now());
  if (cached) return cached;
  const mark = cache?.mark();
  const [row] = await tokenByHash(db).execute({ hash, now: deps.now() });
  if (!row) throw unauthorized('the API token is unknown, expired or revoked');
  rememberHash(token, hash);
  const principal = {
    kind: 'token' as const,
    id: `token:${row.name}`,
    tenantId: row.tenantId,
    tokenName: row.name,
    role: (row.spec as { role: Role }).role,
    tenant: row.tenant,
  };
  cache?.fill(hash, { principal, expiresAt: row.expiresAt }, mark!, Date.now());
  return principal;
}

const connectorPrincipal = (c: ConnectorClaims): Principal =>
  ({ kind: 'connector', id: `cluster:${c.sub}`, clusterUid: c.sub, tenantId: c.tnt, generation: c.gen, expiresAt: c.exp! });

async function fromJwt(deps: AppDeps, token: string): Promise<Principal> {
  // A connector shows the same credential on every poll: a verified one needs no decoding.
  const known = verifiedConnectorCredential(deps.keys, token, deps.now());
  if (known) return connectorPrincipal(known);
  let iss: string | undefined;
  try {
    decodeProtectedHeader(token);
    iss = decodeJwt(token).iss;
  } catch {
    throw unauthorized('the bearer token is not a well-formed JWT');
  }
  try {
    if (iss === CONNECTOR_ISSUER) {
      return connectorPrincipal(await verifyConnectorCredential(deps.keys, token, deps.now()));
    }
    if (deps.oidc) {
      const { subject } = await deps.oidc(token, deps.now());
      return { kind: 'user', id: `user:${subject}`, subject };
    }
  } catch (err) {
    throw unauthorized(`the JWT was rejected: ${(err as Error).message}`);
  }
  throw unauthorized('JWTs from this issuer are not accepted');
}

/** Who the bearer token names, or a 401. Says nothing yet about where it may be used. */
export async function authenticate(deps: AppDeps, db: Db, header: string | undefined): Promise<Principal> {
  const m = header ? /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header) : null;
  if (!m) throw unauthorized('an "Authorization: Bearer <token>" header is required');
  const token = m[1]!;
  if (token.startsWith(API_TOKEN_PREFIX)) return fromApiToken(deps, db, token);
  if (token.split('.').length === 3) return fromJwt(deps, token);
  throw unauthorized('the bearer token is neither a Fleetplane API token nor a JWT');
}
