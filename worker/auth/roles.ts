import { z } from '@hono/zod-openapi';

/** Each role includes every role after it. */
export const ROLES = ['owner', 'admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES).openapi({ description: 'owner > admin > operator > viewer' });

export const atLeast = (have: Role, need: Role) => ROLES.indexOf(have) <= ROLES.indexOf(need);
