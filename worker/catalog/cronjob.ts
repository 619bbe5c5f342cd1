import { envList, image, resources } from './schema-parts.js';
import type { CatalogTemplate } from './types.js';

const parameters = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    schedule: { type: 'string', minLength: 1, default: '0 * * * *', description: 'cron schedule (five fields, or @hourly, @daily, ...)' },
    timeZone: { type: 'string', default: 'Etc/UTC', description: 'IANA time zone the schedule is read in' },
    image: image('busybox:1.37'),
    command: { type: 'array', items: { type: 'string' }, minItems: 1, default: ['sh', '-c', 'date; echo hello'] },
    env: envList,
    concurrencyPolicy: { enum: ['Allow', 'Forbid', 'Replace'], default: 'Forbid' },
    suspend: { type: 'boolean', default: false },
    successfulJobsHistoryLimit: { type: 'integer', minimum: 0, maximum: 100, default: 3 },
    failedJobsHistoryLimit: { type: 'integer', minimum: 0, maximum: 100, default: 1 },
    startingDeadlineSeconds: { type: 'integer', minimum: 10, default: 300, description: 'a run missed by more than this is skipped' },
    backoffLimit: { type: 'integer', minimum: 0, maximum: 20, default: 2 },
    activeDeadlineSeconds: { type: 'integer', minimum: 1, default: 3600, description: 'a run is stopped after this long' },
    resources: resources({ cpu: '50m', memory: '64Mi' }, { cpu: '500m', memory: '256Mi' }),
  },
};

const manifests = `
apiVersion: batch/v1
kind: CronJob
metadata:
  name: \${app.name}
  labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: job}
spec:
  schedule: \${values.schedule}
  timeZone: \${values.timeZone}
  concurrencyPolicy: \${values.concurrencyPolicy}
  suspend: {$eval: values.suspend}
  startingDeadlineSeconds: {$eval: values.startingDeadlineSeconds}
  successfulJobsHistoryLimit: {$eval: values.successfulJobsHistoryLimit}
  failedJobsHistoryLimit: {$eval: values.failedJobsHistoryLimit}
  jobTemplate:
    metadata:
      labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: job}
    spec:
      backoffLimit: {$eval: values.backoffLimit}
      activeDeadlineSeconds: {$eval: values.activeDeadlineSeconds}
      template:
        metadata:
          labels: {app.kubernetes.io/name: '\${app.name}', app.kubernetes.io/instance: '\${app.name}', app.kubernetes.io/component: job}
        spec:
          restartPolicy: OnFailure
          securityContext:
            runAsNonRoot: true
            runAsUser: 65534
            seccompProfile: {type: RuntimeDefault}
          containers:
            - name: job
              image: \${values.image}
              command: {$eval: values.command}
              env: {$eval: values.env}
              resources: {$eval: values.resources}
              securityContext:
                allowPrivilegeEscalation: false
                readOnlyRootFilesystem: true
                capabilities: {drop: [ALL]}
`;

export const cronjob: CatalogTemplate = {
  name: 'cronjob',
  description: 'A command run on a schedule by a CronJob, with concurrency and history limits.',
  category: 'batch',
  versions: [{ version: '1.0.0', parameters, manifests }],
};
