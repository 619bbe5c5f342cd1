import type { Hono } from 'hono';
import type { ConsoleEnv } from '../context.js';
import { mountApp } from './app.js';
import { mountAppRollback } from './app-rollback.js';
import { mountApps } from './apps.js';
import { mountCluster } from './cluster.js';
import { mountDeploy } from './deploy.js';
import { mountClusterNew } from './cluster-new.js';
import { mountClusters } from './clusters.js';
import { mountEvents } from './events.js';
import { mountLive } from './live.js';
import { mountNamespaces } from './namespaces.js';
import { mountSettings } from './settings.js';
import { mountTemplates } from './templates.js';
import { mountWebhooks } from './webhooks.js';

/** Every tenant page; a new page adds one line here. */
export function mountPages(app: Hono<ConsoleEnv>) {
  mountClusters(app);
  // before /clusters/:cluster, which would take `new` for a name
  mountClusterNew(app);
  mountCluster(app);
  mountLive(app);
  mountNamespaces(app);
  mountEvents(app);
  mountApps(app);
  // before /apps/:app, which would take `new` for a name
  mountDeploy(app);
  mountAppRollback(app);
  mountApp(app);
  mountTemplates(app);
  mountWebhooks(app);
  mountSettings(app);
}
