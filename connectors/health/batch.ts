import type { KubeObject } from '../kube/types.js';
import { conditionOf, degraded, generationPending, healthy, progressing, suspended, type HealthResult } from './types.js';

/**
 * A Job is done when Complete, failed when Failed (kstatus jobConditions; Argo
 * CD reports a running Job as Progressing, and a suspended one as Suspended:
 * the spec says so before the controller's Suspended condition does).
 */
export function jobHealth(o: KubeObject): HealthResult {
  const failed = conditionOf(o, 'Failed');
  if (failed?.status === 'True') return degraded(failed.message ?? failed.reason ?? 'Job failed');
  const complete = conditionOf(o, 'Complete');
  if (complete?.status === 'True') return healthy(complete.message);
  if (o.spec?.suspend === true || conditionOf(o, 'Suspended')?.status === 'True') return suspended('Job is suspended');
  const active = typeof o.status?.active === 'number' ? o.status.active : 0;
  return progressing(active > 0 ? `Job is running: ${active} active pods` : 'Job has not started');
}

/**
 * A CronJob is healthy once its controller has seen it, and Suspended while
 * `suspend: true` holds its runs back on purpose; Argo CD marks it Degraded
 * when the last run it scheduled did not succeed after it.
 */
export function cronJobHealth(o: KubeObject): HealthResult {
  const pending = generationPending(o);
  if (pending) return pending;
  if (o.spec?.suspend === true) return suspended('CronJob is suspended');
  const lastSchedule = Date.parse(o.status?.lastScheduleTime ?? '');
  const lastSuccess = Date.parse(o.status?.lastSuccessfulTime ?? '');
  const running = Array.isArray(o.status?.active) && o.status.active.length > 0;
  if (!running && Number.isFinite(lastSchedule) && Number.isFinite(lastSuccess) && lastSuccess < lastSchedule) {
    return degraded('the last scheduled Job did not succeed');
  }
  return healthy();
}
