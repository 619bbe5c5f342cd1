import { matches, type Requirement } from '../lib/label-selector.js';
import type { LabelSelector, Override } from './types.js';

const OPS = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: 'notexists' } as const;

function requirements(selector: LabelSelector): Requirement[] {
  const reqs: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, v]) => ({ key, op: 'in', values: [v] }));
  for (const e of selector.matchExpressions ?? []) {
    const op = OPS[e.operator];
    reqs.push(op === 'in' || op === 'notin' ? { key: e.key, op, values: e.values ?? [] } : { key: e.key, op });
  }
  return reqs;
}

/**
 * Kubernetes LabelSelector semantics: every matchLabels pair and every
 * expression must hold; an empty selector matches every set of labels.
 */
export function matchesSelector(selector: LabelSelector, labels: Record<string, string>): boolean {
  return matches(requirements(selector), labels);
}

/**
 * The overrides that apply to a cluster, in spec order. An override naming
 * both `clusters` and a `selector` applies to the union ("these clusters,
 * plus those labelled so"); one naming neither applies to every cluster,
 * as an empty selector does in Kubernetes.
 */
export function overridesFor(
  overrides: Override[],
  cluster: { name: string; labels: Record<string, string> },
): { index: number; override: Override }[] {
  const out: { index: number; override: Override }[] = [];
  overrides.forEach((override, index) => {
    const { clusters, selector } = override;
    const hit =
      (clusters === undefined && selector === undefined) ||
      (clusters?.includes(cluster.name) ?? false) ||
      (selector !== undefined && matchesSelector(selector, cluster.labels));
    if (hit) out.push({ index, override });
  });
  return out;
}
