import { and, eq, sql } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { members, tenants } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import { tableSelect } from '../../db/table-select.js';
import type { AppEnv, TenantAccess } from '../context.js';
import type { Principal } from './principal.js';
import { forbidden, notFound, unauthorized } from '../lib/problem.js';
import { authenticate } from './authenticate.js';
import { atLeast, type Role } from './roles.js';

/** Tenant API: API tokens, user JWTs and the platform admin; never a connector credential. */
export const userAuth = createMiddleware<AppEnv>(async (c, next) => {
  const p = await authenticate(c.get('deps'), c.get('db'), c.req.header('authorization'));
  if (p.kind === 'connector') throw unauthorized('connector credentials are valid only on /v1/connector/*');
  c.set('principal', p);
  await next();
});

/** Connector protocol: only a connector credential. */
export const connectorAuth = createMiddleware<AppEnv>(async (c, next) => {
  const p = await authenticate(c.get('deps'), c.get('db'), c.req.header('authorization')); // c.var copies all variables per access
  if (p.kind !== 'connector') throw unauthorized('this endpoint takes a connector credential');
  c.set('principal', p);
  await next();
});

const tenantByName = tableSelect('fp_tenant_by_name', tenants, (t) => eq(t.name, sql.placeholder('name')), 1);

/** The tenant named and the caller's role in it, or undefined when the caller has none there (or it does not exist). */
export async function tenantAccess(db: Db, p: Principal, name: string): Promise<TenantAccess | undefined> {
  const [tenant] =
    p.kind === 'token' && p.tenant.name === name
      ? [p.tenant]
      : await tenantByName(db, { name });
  let role: Role | undefined;
  if (tenant) {
    if (p.kind === 'admin') role = 'owner';
    else if (p.kind === 'token') role = p.tenantId === tenant.uid ? p.role : undefined;
    else if (p.kind === 'user') {
      const [m] = await db
        .select({ spec: members.spec })
        .from(members)
        .where(and(eq(members.tenantId, tenant.uid), eq(members.name, p.subject)))
        .limit(1);
      role = (m?.spec as { role: Role } | undefined)?.role;
    }
  }
  return tenant && role ? { tenant, role } : undefined;
}

/**
 * Resolves `{tenant}` for the caller and checks its role. A tenant the caller
 * cannot see is reported exactly like one that does not exist (404), and that
 * check comes before the role (403) and before the body is validated.
 */
export const tenantRole = (need: Role) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const name = c.req.param('tenant') ?? '';
    const access = await tenantAccess(c.get('db'), c.get('principal'), name);
    if (!access) throw notFound('tenant', name);
    if (!atLeast(access.role, need)) throw forbidden(`this needs the ${need} role in tenant "${name}"; the caller is ${access.role}`);
    c.set('access', access);
    await next();
  });

/** PUT on a tenant: the platform admin creates or replaces; anyone else needs owner of an existing one. */
export const tenantPutAccess = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get('principal').kind === 'admin') return next();
  return tenantRole('owner')(c, next);
});
