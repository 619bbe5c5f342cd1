import type { AppSpecView } from './types.js';

type Placement = AppSpecView['placement'];

/** A placement as a person reads it: cluster names, then the selector in label-selector syntax. */
export function placementText(p: Placement): string {
  if (!p) return 'every cluster';
  const parts: string[] = [];
  if (p.clusters?.length) parts.push(`clusters ${p.clusters.join(', ')}`);
  const sel = p.selector;
  if (sel) {
    const terms = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
    for (const e of (sel.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
      terms.push(e.values?.length ? `${e.key} ${e.operator.toLowerCase()} (${e.values.join(',')})` : `${e.operator === 'DoesNotExist' ? '!' : ''}${e.key}`);
    }
    parts.push(terms.length ? `selector ${terms.join(',')}` : 'every cluster');
  }
  return parts.join('; ') || 'no cluster';
}
