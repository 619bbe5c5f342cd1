import { image, optionalObjectName, quantity, resources } from './schema-parts.js';
import type { CatalogTemplate } from './types.js';

const parameters = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    image: image('redis:7.4-alpine'),
    maxMemory: { type: 'string', pattern: '^[0-9]+(kb|mb|gb|k|m|g)?$', default: '0', description: 'Redis maxmemory, e.g. 256mb; 0 = no limit' },
    maxMemoryPolicy: {
      enum: ['noeviction', 'allkeys-lru', 'allkeys-lfu', 'volatile-lru', 'volatile-lfu', 'allkeys-random', 'volatile-random', 'volatile-ttl'],
      default: 'allkeys-lru',
    },
    passwordSecret: optionalObjectName('a Secret whose key "password" Redis requires from clients; empty = no password'),
    resources: resources({ cpu: '100m', memory: '128Mi' }, { cpu: '500m', memory: '512Mi' }),
    persistence: {
      type: 'object',
      additionalProperties: false,
      description: 'with persistence Redis runs as a StatefulSet with an append-only file on a volume; without, as a Deployment (a cache)',
      properties: {
        enabled: { type: 'boolean', default: false },
        size: quantity('1Gi'),
        storageClassName: { type: 'string', default: '', description: 'empty uses the cluster default StorageClass' },
      },
    },
  },
};

// One document for both shapes: the kind and the storage follow persistence.enabled.
const manifests = `
apiVersion: apps/v1
kind: {$if: values.persistence.enabled, then: StatefulSet, else: Deployment}
metadata:
  name: \${app.name}
  labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: redis}
spec:
  replicas: 1
  serviceName: {$if: values.persistence.enabled, then: '\${app.name}-headless'}
  strategy: {$if: '!(values.persistence.enabled)', then: {type: Recreate}}
  selector:
    matchLabels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}'}
  template:
    metadata:
      labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: redis}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 999
        runAsGroup: 999
        fsGroup: 999
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: redis
          image: \${values.image}
          args:
            $flatten:
              - ['--port', '6379', '--maxmemory', '\${values.maxMemory}', '--maxmemory-policy', '\${values.maxMemoryPolicy}']
              - $if: values.persistence.enabled
                then: ['--appendonly', 'yes', '--dir', '/data']
                else: ['--appendonly', 'no', '--save', '']
              - $if: 'values.passwordSecret != ""'
                then: ['--requirepass', '$(REDIS_PASSWORD)']
                else: []
          env:
            $if: 'values.passwordSecret != ""'
            then:
              - name: REDIS_PASSWORD
                valueFrom: {secretKeyRef: {name: '\${values.passwordSecret}', key: password}}
            else: []
          ports:
            - {name: redis, containerPort: 6379, protocol: TCP}
          resources: {$eval: values.resources}
          readinessProbe:
            exec:
              command: [sh, -c, 'redis-cli $\${REDIS_PASSWORD:+-a "$REDIS_PASSWORD" --no-auth-warning} ping | grep -q PONG']
            periodSeconds: 5
            timeoutSeconds: 3
          livenessProbe:
            tcpSocket: {port: redis}
            initialDelaySeconds: 15
            periodSeconds: 10
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          volumeMounts:
            - {name: data, mountPath: /data}
      volumes: {$if: '!(values.persistence.enabled)', then: [{name: data, emptyDir: {}}]}
  volumeClaimTemplates:
    $if: values.persistence.enabled
    then:
      - metadata: {name: data}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: {$if: 'values.persistence.storageClassName != ""', then: '\${values.persistence.storageClassName}'}
          resources: {requests: {storage: '\${values.persistence.size}'}}
---
apiVersion: v1
kind: Service
metadata:
  name: \${app.name}
  labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: redis}
spec:
  type: ClusterIP
  selector: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}'}
  ports:
    - {name: redis, port: 6379, targetPort: redis, protocol: TCP}
---
$if: values.persistence.enabled
then:
  apiVersion: v1
  kind: Service
  metadata:
    name: \${app.name}-headless
    labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: redis}
  spec:
    clusterIP: None
    publishNotReadyAddresses: true
    selector: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}'}
    ports:
      - {name: redis, port: 6379, targetPort: redis, protocol: TCP}
`;

export const redis: CatalogTemplate = {
  name: 'redis',
  description: 'Redis: a cache as a Deployment, or with persistence a StatefulSet with an append-only file on a volume.',
  category: 'database',
  versions: [{ version: '1.0.0', parameters, manifests }],
};
