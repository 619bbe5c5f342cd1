import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import type { Publication } from './push.js';

/** After a commit: wake the connectors whose desired revision moved. */
export async function publishAll(c: Context<AppEnv>, pushes: Publication[]) {
  if (pushes.length > 0) await c.get('deps').push.publish(pushes);
}
