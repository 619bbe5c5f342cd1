import type { Hono } from 'hono';
import type { ConsoleEnv } from '../context.js';
import { mountClusters } from './clusters.js';
import { mountLive } from './live.js';

/** Every tenant page; a new page adds one line here. */
export function mountPages(app: Hono<ConsoleEnv>) {
  mountClusters(app);
  mountLive(app);
}
