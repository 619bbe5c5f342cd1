/** Where an app's pods are: a namespace and a label selector, from the workloads it renders. */
export interface PodSelector {
  namespace: string;
  selector: string;
}

type Obj = { kind?: string; metadata?: { namespace?: string }; spec?: any };
interface LabelSelector { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }

/** A LabelSelector as the API's `labelSelector` query takes it; undefined when it selects nothing expressible. */
export function selectorString(s: LabelSelector | undefined): string | undefined {
  if (!s) return undefined;
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else return undefined;
  }
  // an empty selector would select every pod of the namespace: not this app's
  return parts.length > 0 ? parts.join(',') : undefined;
}

/** The pod template's labels as a selector (Jobs whose selector the API server generates, CronJobs). */
const templateSelector = (template: { metadata?: { labels?: Record<string, string> } } | undefined) =>
  selectorString({ matchLabels: template?.metadata?.labels });

/**
 * The selectors of an app's pods on one cluster: each workload's
 * `spec.selector` (Deployment, StatefulSet, DaemonSet, ReplicaSet, Argo
 * Rollout), else its pod template's labels (Job, CronJob), in its namespace.
 */
export function podSelectors(objects: Obj[], defaultNamespace: string): PodSelector[] {
  const found = new Map<string, PodSelector>();
  for (const o of objects) {
    const spec = o.spec ?? {};
    let selector: string | undefined;
    switch (o.kind) {
      case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Rollout':
        selector = selectorString(spec.selector);
        break;
      case 'Job':
        selector = selectorString(spec.selector) ?? templateSelector(spec.template);
        break;
      case 'CronJob':
        selector = templateSelector(spec.jobTemplate?.spec?.template);
        break;
    }
    if (!selector) continue;
    const namespace = o.metadata?.namespace ?? defaultNamespace;
    found.set(`${namespace} ${selector}`, { namespace, selector });
  }
  return [...found.values()];
}
