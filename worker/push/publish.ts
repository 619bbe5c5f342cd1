import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import type { PushTarget } from './push.js';

/** After a commit: wake the connectors whose desired revision moved. */
export async function publishAll(c: Context<AppEnv>, pushes: { target: PushTarget; revision: number }[]) {
  await Promise.all(pushes.map((p) => c.var.deps.push.publish(p.target, p.revision)));
}
