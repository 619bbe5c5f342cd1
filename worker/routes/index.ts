import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import { mountAppActions } from './app-actions.js';
import { mountAppLogs } from './app-logs.js';
import { mountAppClusters } from './app-clusters.js';
import { mountApps } from './apps.js';
import { mountAuditEvents } from './audit-events.js';
import { mountCatalog } from './catalog.js';
import { mountClusterActions } from './cluster-actions.js';
import { mountClusters } from './clusters.js';
import { mountConnector } from './connector.js';
import { mountEvents } from './events.js';
import { mountGateway } from './gateway.js';
import { mountJoin } from './join.js';
import { mountKubeconfig } from './kubeconfig.js';
import { mountMembers } from './members.js';
import { mountNamespaces } from './namespaces.js';
import { mountSystem } from './system.js';
import { mountTemplateVersions } from './template-versions.js';
import { mountTemplates } from './templates.js';
import { mountTenants } from './tenants.js';
import { mountTokens } from './tokens.js';
import { mountWebhooks } from './webhooks.js';

/** Every resource's routes; a new resource type adds one line here. */
export function mountRoutes(app: OpenAPIHono<AppEnv>) {
  mountSystem(app);
  mountTenants(app);
  mountMembers(app);
  mountTokens(app);
  mountAuditEvents(app);
  mountEvents(app);
  mountClusters(app);
  mountClusterActions(app);
  mountKubeconfig(app);
  mountGateway(app);
  mountJoin(app);
  mountConnector(app);
  mountCatalog(app);
  mountTemplates(app);
  mountTemplateVersions(app);
  mountNamespaces(app);
  mountApps(app);
  mountAppActions(app);
  mountAppClusters(app);
  mountAppLogs(app);
  mountWebhooks(app);
}
