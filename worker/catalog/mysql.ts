import { image, quantity, resources } from './schema-parts.js';
import type { CatalogTemplate } from './types.js';

const parameters = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    image: image('mysql:8.4'),
    replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1, description: 'read replicas beside the primary' },
    storage: quantity('10Gi', 'volume size of every instance'),
    storageClassName: { type: 'string', default: '', description: 'empty uses the cluster default StorageClass' },
    rootPasswordSecret: {
      type: 'string',
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      default: 'mysql-root-password',
      description: 'an existing Secret in the namespace; its key "password" is the root password (also used by the replicas to replicate)',
    },
    database: { type: 'string', pattern: '^[A-Za-z0-9_]{1,64}$', default: 'app', description: 'a database created on first start' },
    resources: resources({ cpu: '250m', memory: '512Mi' }, { cpu: '1', memory: '1Gi' }),
  },
};

// Shared by the primary and the replicas: both run the same image with the same probes.
const container = (role: 'primary' | 'replica') => `
        - name: mysql
          image: \${values.image}
          env:
            - name: MYSQL_ROOT_PASSWORD
              valueFrom: {secretKeyRef: {name: '\${values.rootPasswordSecret}', key: password}}
            - {name: MYSQL_DATABASE, value: '\${values.database}'}
          ports:
            - {name: mysql, containerPort: 3306, protocol: TCP}
          resources: {$eval: values.resources}
          readinessProbe:
            exec: {command: [sh, -c, 'mysqladmin ping -h 127.0.0.1 -uroot -p"$MYSQL_ROOT_PASSWORD"']}
            initialDelaySeconds: 10
            periodSeconds: 5
            timeoutSeconds: 3
          livenessProbe:
            exec: {command: [sh, -c, 'mysqladmin ping -h 127.0.0.1 -uroot -p"$MYSQL_ROOT_PASSWORD"']}
            initialDelaySeconds: 60
            periodSeconds: 10
            timeoutSeconds: 5
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
          volumeMounts:
            - {name: data, mountPath: /var/lib/mysql}
            - {name: conf, mountPath: /etc/mysql/conf.d}
            - {name: tmp, mountPath: /tmp}${
              role === 'replica' ? '\n            - {name: config, mountPath: /docker-entrypoint-initdb.d/replication.sh, subPath: replica-init.sh}' : ''
            }`;

const labels = (role: string) =>
  `{app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: ${role}}`;

const statefulSet = (role: 'primary' | 'replica', replicas: string) => `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: \${app.name}-${role}
  labels: ${labels(role)}
spec:
  replicas: ${replicas}
  serviceName: \${app.name}-${role}-headless
  podManagementPolicy: OrderedReady
  selector:
    matchLabels: ${labels(role)}
  template:
    metadata:
      labels: ${labels(role)}
    spec:
      terminationGracePeriodSeconds: 60
      securityContext:
        runAsNonRoot: true
        runAsUser: 999
        runAsGroup: 999
        fsGroup: 999
        seccompProfile: {type: RuntimeDefault}
      initContainers:
        # server-id must differ on every instance: the primary is 1, replica N is 100 + N
        - name: server-id
          image: \${values.image}
          command:
            - sh
            - -c
            - |
              ordinal="$\${HOSTNAME##*-}"
              ${role === 'primary' ? 'id=1' : 'id=$((100 + ordinal))'}
              cp /config/${role}.cnf /conf/${role}.cnf
              printf '[mysqld]\\nserver-id=%s\\nreport-host=%s.\${app.name}-${role}-headless\\n' "$id" "$HOSTNAME" > /conf/server-id.cnf
          resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 100m, memory: 64Mi}}
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
          volumeMounts:
            - {name: conf, mountPath: /conf}
            - {name: config, mountPath: /config}
      containers:${container(role)}
      volumes:
        - {name: conf, emptyDir: {}}
        - {name: tmp, emptyDir: {}}
        - {name: config, configMap: {name: '\${app.name}-config'}}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: {$if: 'values.storageClassName != ""', then: '\${values.storageClassName}'}
        resources: {requests: {storage: '\${values.storage}'}}`;

const service = (name: string, role: string, headless: boolean) => `
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels: ${labels(role)}
spec:
${headless ? '  clusterIP: None\n  publishNotReadyAddresses: true\n' : '  type: ClusterIP\n'}  selector: ${labels(role)}
  ports:
    - {name: mysql, port: 3306, targetPort: mysql, protocol: TCP}`;

const manifests = [
  `
apiVersion: v1
kind: ConfigMap
metadata:
  name: \${app.name}-config
  labels: ${labels('config')}
data:
  primary.cnf: |
    [mysqld]
    gtid_mode=ON
    enforce_gtid_consistency=ON
    log_bin=mysql-bin
    binlog_expire_logs_seconds=604800
  replica.cnf: |
    [mysqld]
    gtid_mode=ON
    enforce_gtid_consistency=ON
    log_bin=mysql-bin
    relay_log=relay-bin
  replica-init.sh: |
    # Runs once, when a replica's data directory is created: follow the primary
    # by GTID and refuse writes from clients from then on.
    mysql -uroot -p"$MYSQL_ROOT_PASSWORD" <<SQL
    CHANGE REPLICATION SOURCE TO SOURCE_HOST='\${app.name}-primary', SOURCE_PORT=3306,
      SOURCE_USER='root', SOURCE_PASSWORD='$MYSQL_ROOT_PASSWORD',
      SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=10;
    START REPLICA;
    SET PERSIST super_read_only = ON;
    SQL`,
  statefulSet('primary', '1'),
  service('${app.name}-primary-headless', 'primary', true),
  service('${app.name}-primary', 'primary', false),
  statefulSet('replica', '{$eval: values.replicas}'),
  service('${app.name}-replica-headless', 'replica', true),
  service('${app.name}-replicas', 'replica', false),
].join('\n---');

export const mysql: CatalogTemplate = {
  name: 'mysql',
  description: 'MySQL with a primary and read replicas (GTID replication) on persistent volumes; write to <app>-primary, read from <app>-replicas.',
  category: 'database',
  versions: [{ version: '1.0.0', parameters, manifests }],
};
