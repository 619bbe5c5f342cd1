import { envList, image, optionalObjectName, port, resources } from './schema-parts.js';
import type { CatalogTemplate } from './types.js';

const HOSTNAME = '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$';

const parameters = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    image: image('nginxinc/nginx-unprivileged:1.27-alpine'),
    replicas: { type: 'integer', minimum: 0, maximum: 100, default: 2 },
    port: { ...port(8080), description: 'the port the container listens on' },
    healthPath: { type: 'string', pattern: '^/', default: '/', description: 'HTTP path for the readiness and liveness probes' },
    readOnlyRootFilesystem: { type: 'boolean', default: true, description: 'run with a read-only root filesystem (/tmp stays writable)' },
    env: envList,
    resources: resources({ cpu: '100m', memory: '128Mi' }, { cpu: '500m', memory: '256Mi' }),
    ingress: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean', default: false },
        host: { type: 'string', pattern: HOSTNAME, default: '', description: 'a custom host name; wins over wildcardDomain' },
        wildcardDomain: { type: 'string', pattern: HOSTNAME, default: '', description: 'host becomes <app>.<wildcardDomain>' },
        tlsSecretName: optionalObjectName('a kubernetes.io/tls Secret for the host; empty serves plain HTTP'),
        className: { type: 'string', default: '', description: 'IngressClass name; empty uses the cluster default' },
      },
      // an enabled ingress needs a host one way or the other; if/then (not anyOf) points the error at host
      if: { properties: { enabled: { const: true }, wildcardDomain: { const: '' } } },
      then: { properties: { host: { minLength: 1 } } },
    },
  },
};

const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${app.name}
  labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: web}
spec:
  replicas: {$eval: values.replicas}
  revisionHistoryLimit: 5
  selector:
    matchLabels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}'}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
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
          livenessProbe:
            httpGet: {path: '\${values.healthPath}', port: http}
            initialDelaySeconds: 10
            periodSeconds: 10
            failureThreshold: 6
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: {$eval: values.readOnlyRootFilesystem}
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
---
$if: values.ingress.enabled
then:
  $let:
    host:
      $if: 'values.ingress.host != ""'
      then: \${values.ingress.host}
      else: \${app.name}.\${values.ingress.wildcardDomain}
  in:
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: \${app.name}
      labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: web}
    spec:
      ingressClassName: {$if: 'values.ingress.className != ""', then: '\${values.ingress.className}'}
      tls:
        $if: 'values.ingress.tlsSecretName != ""'
        then:
          - hosts: ['\${host}']
            secretName: \${values.ingress.tlsSecretName}
      rules:
        - host: \${host}
          http:
            paths:
              - path: /
                pathType: Prefix
                backend:
                  service:
                    name: \${app.name}
                    port: {name: http}
`;

export const web: CatalogTemplate = {
  name: 'web',
  description: 'A stateless HTTP service: Deployment and Service, optionally exposed by an Ingress with TLS.',
  category: 'web',
  versions: [{ version: '1.0.0', parameters, manifests }],
};
