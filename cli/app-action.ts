import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { connect, expectOk, outcome, type Api } from './api.js';
import { requireTenant, resolveConnection } from './connection.js';
import type { App } from './rollout.js';

/** The app named on a command line written `VERB app NAME`: only apps have these verbs. */
export function appArg(verb: string, kind: string) {
  if (!['app', 'apps'].includes(kind.toLowerCase())) throw new Error(`${verb} works on apps: fleetplane ${verb} app NAME (not "${kind}")`);
}

/**
 * A POST on one of an app's action paths. One Idempotency-Key per invocation:
 * a retry after a 429 or 503, or after a lost answer, cannot act twice.
 */
type Call = Parameters<typeof outcome>[0];

export async function postAppAction(cmd: Command, name: string, what: string, send: (api: Api, tenant: string, headers: Record<string, string>) => Call) {
  const connection = await resolveConnection(cmd.optsWithGlobals());
  const tenant = requireTenant(connection);
  const api = connect(connection);
  const r = await outcome<App>(send(api, tenant, { 'Idempotency-Key': randomUUID() }));
  return expectOk(r, `${what} app/${name}`);
}
