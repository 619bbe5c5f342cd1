import { parseLabelSelector } from '../../lib/label-selector.js';
import type { AppSpecView } from './types.js';

type Placement = AppSpecView['placement'];

/** A placement as a person reads it: cluster names, then the selector in label-selector syntax. */
export function placementText(p: Placement): string {
  if (!p) return 'every cluster';
  const parts: string[] = [];
  if (p.clusters?.length) parts.push(`clusters ${p.clusters.join(', ')}`);
  if (p.selector) parts.push(selectorText(p.selector) ? `selector ${selectorText(p.selector)}` : 'every cluster');
  return parts.join('; ') || 'no cluster';
}

type Selector = NonNullable<Placement>['selector'];
type Expression = { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] };

/** A selector in label-selector syntax (`env=prod,region in (eu,us),!legacy`), as the API's ?labelSelector= reads it. */
export function selectorText(sel: Selector): string {
  const terms = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of (sel?.matchExpressions ?? []) as Expression[]) {
    if (e.operator === 'Exists') terms.push(e.key);
    else if (e.operator === 'DoesNotExist') terms.push(`!${e.key}`);
    else terms.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return terms.join(',');
}

/** Label-selector syntax → the spec's selector; a syntax error is thrown (SelectorError) with its reason. */
export function selectorOfText(text: string): NonNullable<Selector> {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Expression[] = [];
  for (const r of parseLabelSelector(text)) {
    if (!('values' in r)) matchExpressions.push({ key: r.key, operator: r.op === 'exists' ? 'Exists' : 'DoesNotExist' });
    else if (r.op === 'in' && r.values.length === 1 && !(r.key in matchLabels)) matchLabels[r.key] = r.values[0]!;
    else matchExpressions.push({ key: r.key, operator: r.op === 'in' ? 'In' : 'NotIn', values: r.values });
  }
  return { ...(Object.keys(matchLabels).length ? { matchLabels } : {}), ...(matchExpressions.length ? { matchExpressions } : {}) };
}
