import { deepMerge } from './deep-merge.js';
import { defaultsOf } from './defaults.js';
import { isPlainObject } from './plain-object.js';
import type { FieldError, RenderInput } from './types.js';
import { validateValues } from './validate-values.js';

const VALUES = '/spec/values';

function hasPath(root: unknown, tokens: string[]): boolean {
  let node = root;
  for (const t of tokens) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(t) && Number(t) < node.length) node = node[Number(t)];
    else if (isPlainObject(node) && Object.hasOwn(node, t)) node = node[t];
    else return false;
  }
  return true;
}

const tokensOf = (relative: string) =>
  relative === '' ? [] : relative.slice(1).split('/').map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));

/**
 * Points an error at the layer the failing value came from: the last
 * matching override that sets that exact path, else the app's values.
 */
function attribute(error: FieldError, overrides: RenderInput['overrides']): string {
  const relative = error.pointer.slice(VALUES.length);
  const tokens = tokensOf(relative);
  for (let i = overrides.length - 1; i >= 0; i--) {
    const { index, override } = overrides[i]!;
    if (override.values && tokens.length > 0 && hasPath(override.values, tokens)) return `/spec/overrides/${index}/values${relative}`;
  }
  return error.pointer;
}

/**
 * The values a cluster renders with: the schema's defaults, then the app's
 * values, then each matching override's, merged in that order; and what is
 * wrong with them, each error naming the cluster.
 */
export function mergedValues(input: RenderInput): { values: Record<string, unknown>; errors: FieldError[] } {
  const { template, cluster, overrides } = input;
  const values = deepMerge(defaultsOf(template.parameters), input.values, ...overrides.map((o) => o.override.values));
  const errors = validateValues(template.parameters, values, VALUES).map((e) => ({
    pointer: attribute(e, overrides),
    message: `cluster "${cluster.name}": ${e.message}`,
  }));
  return { values, errors };
}
