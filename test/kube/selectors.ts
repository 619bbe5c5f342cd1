import { badRequest } from './errors.js';

/**
 * Label and field selectors with the apiserver's grammar: equality (`a=b`,
 * `a==b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`),
 * comma-separated requirements that must all hold.
 */
type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type Selector = (labels: Record<string, string> | undefined) => boolean;

/** Splits on commas that are not inside a `( … )` value set. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(raw: string): Requirement {
  let m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(raw);
  if (m) return { op: m[2] as 'in' | 'notin', key: m[1]!, values: m[3]!.split(',').map((v) => v.trim()).filter(Boolean) };
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(raw);
  if (m) return { op: m[2] === '!=' ? 'neq' : 'eq', key: m[1]!, value: m[3]! };
  m = /^!\s*([^=!\s()]+)$/.exec(raw);
  if (m) return { op: 'notexists', key: m[1]! };
  if (/^[^=!\s()]+$/.test(raw)) return { op: 'exists', key: raw };
  throw badRequest(`unable to parse requirement: ${raw}`);
}

function matches(r: Requirement, get: (key: string) => string | undefined): boolean {
  const v = get(r.key);
  switch (r.op) {
    case 'eq': return v === r.value;
    case 'neq': return v !== r.value;
    case 'in': return v !== undefined && r.values.includes(v);
    case 'notin': return v === undefined || !r.values.includes(v);
    case 'exists': return v !== undefined;
    case 'notexists': return v === undefined;
  }
}

export function parseLabelSelector(s: string | null | undefined): Selector {
  const reqs = splitTop(s ?? '').map(parseRequirement);
  return (labels) => reqs.every((r) => matches(r, (key) => labels?.[key]));
}

/**
 * Field selectors support only equality, like the apiserver. Any dotted path is
 * accepted (metadata.name, metadata.namespace, status.phase, spec.nodeName…);
 * the real server restricts the fields per kind.
 */
export function parseFieldSelector(s: string | null | undefined): (obj: any) => boolean {
  const reqs = splitTop(s ?? '').map(parseRequirement);
  for (const r of reqs) {
    if (r.op !== 'eq' && r.op !== 'neq') throw badRequest(`invalid field selector operator in "${s}"`);
  }
  return (obj) => reqs.every((r) => matches(r, (path) => {
    const v = path.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), obj);
    // The apiserver compares field values as strings, with a missing field reading as "".
    return v == null ? '' : String(v);
  }));
}

/** A matchLabels/matchExpressions object (as in a Deployment spec) turned into a selector. */
export function labelSelectorFromObject(sel: any): Selector {
  const reqs: Requirement[] = Object.entries(sel?.matchLabels ?? {}).map(([key, value]) => ({ op: 'eq' as const, key, value: String(value) }));
  for (const e of sel?.matchExpressions ?? []) {
    const op = String(e.operator).toLowerCase();
    if (op === 'in' || op === 'notin') reqs.push({ op, key: e.key, values: e.values ?? [] });
    else if (op === 'exists') reqs.push({ op: 'exists', key: e.key });
    else if (op === 'doesnotexist') reqs.push({ op: 'notexists', key: e.key });
  }
  return (labels) => reqs.every((r) => matches(r, (key) => labels?.[key]));
}

/** A matchLabels/matchExpressions object in the string form (`app=web,tier in (a,b)`) a Scale's status carries. */
export function labelSelectorToString(sel: any): string {
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const op = String(e.operator).toLowerCase();
    if (op === 'in' || op === 'notin') parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
    else if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}
