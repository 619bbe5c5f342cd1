import { isLabelKey, isLabelValue } from './schemas.js';

export type Requirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export class SelectorError extends Error {}

const SET = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^()]*)\)$/;
const EQ = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/;
const EXISTS = /^(!?)\s*([^\s!=(),]+)$/;

/** Splits on commas that are not inside a `( … )` value set. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    else if (s[i] === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim());
}

function checkKey(key: string) {
  if (!isLabelKey(key)) throw new SelectorError(`invalid label key "${key}"`);
  return key;
}

function checkValue(v: string) {
  if (!isLabelValue(v)) throw new SelectorError(`invalid label value "${v}"`);
  return v;
}

/**
 * Parses a Kubernetes label selector (equality- and set-based), e.g.
 * `env=prod,tier in (web,api),!legacy`. `=`/`==` are `in` with one value and
 * `!=` is `notin`, as in apimachinery. An empty selector matches everything.
 */
export function parseLabelSelector(selector: string): Requirement[] {
  if (selector.trim() === '') return [];
  return splitTopLevel(selector).map((part): Requirement => {
    if (part === '') throw new SelectorError('empty requirement');
    let m = SET.exec(part);
    if (m) {
      if (m[3]!.trim() === '') throw new SelectorError(`"${m[1]} ${m[2]}" needs at least one value`);
      const values = m[3]!.split(',').map((v) => checkValue(v.trim()));
      return { key: checkKey(m[1]!), op: m[2] as 'in' | 'notin', values };
    }
    m = EQ.exec(part);
    if (m) return { key: checkKey(m[1]!), op: m[2] === '!=' ? 'notin' : 'in', values: [checkValue(m[3]!)] };
    m = EXISTS.exec(part);
    if (m) return { key: checkKey(m[2]!), op: m[1] ? 'notexists' : 'exists' };
    throw new SelectorError(`cannot parse "${part}"`);
  });
}

/** Whether `labels` satisfy every requirement (for in-memory checks; lists filter in SQL). */
export function matches(reqs: Requirement[], labels: Record<string, string>): boolean {
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key]!);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]!);
    }
  });
}
