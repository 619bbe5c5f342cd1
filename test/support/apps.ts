import type { Harness } from './harness.js';

/** A small template: a Deployment whose replicas and image are parameters, and a ConfigMap naming the cluster's region. */
export const WEB_VERSION = {
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      replicas: { type: 'integer', minimum: 1, maximum: 20, default: 2 },
      image: { type: 'string', minLength: 1, default: 'nginx:1.27' },
      greeting: { type: 'string', default: 'hello' },
    },
  },
  manifests: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${app.name}
spec:
  replicas:
    $eval: values.replicas
  selector:
    matchLabels:
      app: \${app.name}
  template:
    metadata:
      labels:
        app: \${app.name}
    spec:
      containers:
        - name: web
          image: \${values.image}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: \${app.name}-config
data:
  greeting: \${values.greeting}
`,
};

export const tenantPath = (tenant: string) => `/v1/tenants/${tenant}`;

/** Publishes template `web` version 1.0.0 in the tenant. */
export async function publishWebTemplate(h: Harness, tenant: string, token: string) {
  const t = await h.call('PUT', `${tenantPath(tenant)}/templates/web`, { token, body: { spec: { description: 'web server', category: 'web' } } });
  if (t.status !== 201) throw new Error(`template: ${t.status} ${JSON.stringify(t.body)}`);
  const v = await h.call('PUT', `${tenantPath(tenant)}/templates/web/versions/1.0.0`, { token, body: { spec: WEB_VERSION } });
  if (v.status !== 201) throw new Error(`version: ${v.status} ${JSON.stringify(v.body)}`);
}

export const appSpec = (over: Record<string, unknown> = {}) => ({
  template: { name: 'web', version: '1.0.0' },
  namespace: 'shop',
  values: { replicas: 3 },
  placement: { selector: { matchLabels: { env: 'prod' } } },
  ...over,
});

export const putApp = (h: Harness, tenant: string, token: string, name: string, spec: unknown, headers: Record<string, string> = {}) =>
  h.call('PUT', `${tenantPath(tenant)}/apps/${name}`, { token, body: { spec }, headers });

/** The connector's view: the desired state of the cluster whose credential this is. */
export async function desiredOf(h: Harness, credential: string) {
  const r = await h.call('GET', '/v1/connector/desired-state', { token: credential });
  if (r.status !== 200) throw new Error(`desired-state: ${r.status}`);
  return r.body as { revision: number; objects: any[]; apps: any[] };
}
