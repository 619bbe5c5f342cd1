import type { Role } from '../auth/roles.js';
import type { AppEnv } from '../context.js';
import type { ConsoleApi } from './api.js';

/** What every signed-in page knows: who calls, in which tenant, with which role, and its API. */
export interface ConsoleCtx {
  api: ConsoleApi;
  /** the tenant the page is about */
  tenant: string;
  tenantUid: string;
  role: Role;
  /** the platform admin switches tenants; everyone else sees their own */
  tenants?: string[] | undefined;
  /** the URL of the page, for links back to it with other query parameters */
  url: URL;
}

export type ConsoleEnv = AppEnv & { Variables: AppEnv['Variables'] & { console: ConsoleCtx } };

/** Tenant console pages: `/console/t/{tenant}/...` */
export const tenantPath = (tenant: string, rest = '') => `/console/t/${encodeURIComponent(tenant)}${rest}`;
