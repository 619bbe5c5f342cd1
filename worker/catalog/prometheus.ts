import { image, quantity, resources } from './schema-parts.js';
import type { CatalogTemplate } from './types.js';

const DURATION = '^[0-9]+(ms|s|m|h|d|w|y)$';

const parameters = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    image: image('prom/prometheus:v3.5.0'),
    scrapeInterval: { type: 'string', pattern: DURATION, default: '30s' },
    scrapeTimeout: { type: 'string', pattern: DURATION, default: '10s' },
    retention: { type: 'string', pattern: DURATION, default: '15d', description: 'how long samples are kept' },
    storageSize: quantity('10Gi', 'size limit of the data directory (an emptyDir: samples do not survive a reschedule)'),
    resources: resources({ cpu: '200m', memory: '512Mi' }, { cpu: '1', memory: '2Gi' }),
  },
};

const labels = `{app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: prometheus}`;

// RBAC objects are cluster-scoped: namespace.app.prometheus cannot collide between
// two installs because namespace and app names are DNS labels (no dots).
const manifests = `
apiVersion: v1
kind: ServiceAccount
metadata:
  name: \${app.name}
  labels: ${labels}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: \${app.namespace}.\${app.name}.prometheus
  labels: ${labels}
rules:
  - apiGroups: ['']
    resources: [pods, nodes, services, endpoints]
    verbs: [get, list, watch]
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [get, list, watch]
  - nonResourceURLs: [/metrics]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: \${app.namespace}.\${app.name}.prometheus
  labels: ${labels}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: \${app.namespace}.\${app.name}.prometheus
subjects:
  - kind: ServiceAccount
    name: \${app.name}
    namespace: \${app.namespace}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: \${app.name}-config
  labels: ${labels}
data:
  prometheus.yml: |
    global:
      scrape_interval: \${values.scrapeInterval}
      scrape_timeout: \${values.scrapeTimeout}
      external_labels:
        cluster: \${cluster.name}
    scrape_configs:
      - job_name: prometheus
        static_configs:
          - targets: ['localhost:9090']
      # pods opt in with prometheus.io/scrape: "true"; prometheus.io/port,
      # prometheus.io/path and prometheus.io/scheme say where the metrics are
      - job_name: kubernetes-pods
        kubernetes_sd_configs:
          - role: pod
        relabel_configs:
          - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
            action: keep
            regex: "true"
          - source_labels: [__meta_kubernetes_pod_phase]
            action: drop
            regex: (Pending|Succeeded|Failed)
          - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scheme]
            action: replace
            regex: (https?)
            target_label: __scheme__
          - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
            action: replace
            regex: (.+)
            target_label: __metrics_path__
          - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
            action: replace
            regex: ([^:]+)(?::\\d+)?;(\\d+)
            replacement: $1:$2
            target_label: __address__
          - action: labelmap
            regex: __meta_kubernetes_pod_label_(.+)
          - source_labels: [__meta_kubernetes_namespace]
            target_label: namespace
          - source_labels: [__meta_kubernetes_pod_name]
            target_label: pod
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${app.name}
  labels: ${labels}
spec:
  replicas: 1
  strategy: {type: Recreate}
  selector:
    matchLabels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}'}
  template:
    metadata:
      labels: ${labels}
    spec:
      serviceAccountName: \${app.name}
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        runAsGroup: 65534
        fsGroup: 65534
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: prometheus
          image: \${values.image}
          args:
            - --config.file=/etc/prometheus/prometheus.yml
            - --storage.tsdb.path=/prometheus
            - --storage.tsdb.retention.time=\${values.retention}
            - --web.enable-lifecycle
          ports:
            - {name: http, containerPort: 9090, protocol: TCP}
          resources: {$eval: values.resources}
          readinessProbe:
            httpGet: {path: /-/ready, port: http}
            periodSeconds: 5
          livenessProbe:
            httpGet: {path: /-/healthy, port: http}
            initialDelaySeconds: 30
            periodSeconds: 15
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          volumeMounts:
            - {name: config, mountPath: /etc/prometheus}
            - {name: data, mountPath: /prometheus}
      volumes:
        - {name: config, configMap: {name: '\${app.name}-config'}}
        - {name: data, emptyDir: {sizeLimit: '\${values.storageSize}'}}
---
apiVersion: v1
kind: Service
metadata:
  name: \${app.name}
  labels: ${labels}
spec:
  type: ClusterIP
  selector: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}'}
  ports:
    - {name: http, port: 9090, targetPort: http, protocol: TCP}
`;

export const prometheus: CatalogTemplate = {
  name: 'prometheus',
  description: 'A Prometheus server scraping every pod annotated prometheus.io/scrape: "true" in the cluster.',
  category: 'monitoring',
  versions: [{ version: '1.0.0', parameters, manifests }],
};
