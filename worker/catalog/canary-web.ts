import { envList, image, port, resources } from './schema-parts.js';
import type { CatalogTemplate } from './types.js';

const parameters = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    image: image('nginxinc/nginx-unprivileged:1.27-alpine'),
    replicas: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
    port: { ...port(8080), description: 'the port the container listens on' },
    healthPath: { type: 'string', pattern: '^/', default: '/', description: 'HTTP path for the readiness probe' },
    env: envList,
    resources: resources({ cpu: '100m', memory: '128Mi' }, { cpu: '500m', memory: '256Mi' }),
    steps: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      default: [{ setWeight: 20, pauseSeconds: 0 }, { setWeight: 50, pauseSeconds: 60 }],
      description:
        'the canary steps of a new version: the share of pods it gets, then a pause; pauseSeconds 0 waits for a promotion ' +
        '(`kubectl argo rollouts promote`), and the app shows Suspended meanwhile',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['setWeight', 'pauseSeconds'],
        properties: {
          setWeight: { type: 'integer', minimum: 1, maximum: 100 },
          pauseSeconds: { type: 'integer', minimum: 0, maximum: 86400 },
        },
      },
    },
  },
};

// The first version of a Rollout goes out whole (Argo Rollouts runs the steps only for a change).
const manifests = `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: \${app.name}
  labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: web}
spec:
  replicas: {$eval: values.replicas}
  revisionHistoryLimit: 5
  selector:
    matchLabels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}'}
  strategy:
    canary:
      maxSurge: 1
      maxUnavailable: 0
      steps:
        $flatten:
          $map: {$eval: values.steps}
          each(s):
            - setWeight: {$eval: s.setWeight}
            - pause:
                $if: 's.pauseSeconds > 0'
                then: {duration: '\${s.pauseSeconds}s'}
                else: {}
  template:
    metadata:
      labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: web}
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: web
          image: \${values.image}
          ports:
            - {name: http, containerPort: {$eval: values.port}, protocol: TCP}
          env: {$eval: values.env}
          resources: {$eval: values.resources}
          readinessProbe:
            httpGet: {path: '\${values.healthPath}', port: http}
            periodSeconds: 5
            failureThreshold: 3
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
      volumes:
        - {name: tmp, emptyDir: {}}
---
apiVersion: v1
kind: Service
metadata:
  name: \${app.name}
  labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: web}
spec:
  type: ClusterIP
  selector: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}'}
  ports:
    - {name: http, port: 80, targetPort: http, protocol: TCP}
`;

export const canaryWeb: CatalogTemplate = {
  name: 'canary-web',
  description:
    'A stateless HTTP service released as a canary by Argo Rollouts (a Rollout and a Service): the cluster must run ' +
    'the Argo Rollouts controller. A new version takes the steps given, and waits for a promotion where a step says so.',
  category: 'web',
  versions: [{ version: '1.0.0', parameters, manifests }],
};
