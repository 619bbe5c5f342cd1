import type { RenderInput, TemplateSource } from '../../worker/render/types.js';

/** A small template exercising defaults, nested values, `$if`, cluster context and a cluster-scoped kind. */
export const demoTemplate: TemplateSource = {
  name: 'demo',
  version: '1.2.3',
  catalog: false,
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      replicas: { type: 'integer', minimum: 1, default: 1 },
      image: { type: 'string', minLength: 1, default: 'nginx:1.27' },
      resources: {
        type: 'object',
        additionalProperties: false,
        properties: { cpu: { type: 'string', default: '100m' }, memory: { type: 'string', default: '64Mi' } },
      },
      monitoring: { type: 'boolean', default: false },
    },
  },
  manifests: `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${app.name}
  labels:
    region: \${cluster.labels.region}
spec:
  replicas: {$eval: values.replicas}
  template:
    spec:
      containers:
        - name: main
          image: \${values.image}
          resources:
            requests: {$eval: values.resources}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: \${app.name}-info
  namespace: shared
data:
  cluster: \${cluster.name}
  tenant: \${tenant}
---
$if: values.monitoring
then:
  apiVersion: v1
  kind: Service
  metadata:
    name: \${app.name}-metrics
  spec:
    ports: [{port: 9090}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: \${app.namespace}.\${app.name}.reader
rules: []
`,
};

export function input(over: Partial<RenderInput> = {}): RenderInput {
  return {
    template: demoTemplate,
    tenant: 'acme',
    app: { name: 'shop', namespace: 'prod', deletionPolicy: 'Delete' },
    cluster: { name: 'eu-1', labels: { region: 'eu' } },
    values: {},
    overrides: [],
    ...over,
  };
}
