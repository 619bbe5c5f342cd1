import { deepMerge, defaultsOf, uniqueErrors, validateValues, type FieldError, type TemplateSource } from '../../render/index.js';
import type { AppSpec } from './spec.js';

/**
 * Checks the app's values against the template's parameter schema before any
 * cluster is rendered: the app's own values, then each override on top of
 * them, so a broken override is reported even when it matches no cluster yet.
 */
export function validateAppValues(spec: AppSpec, template: TemplateSource): FieldError[] {
  const base = deepMerge(defaultsOf(template.parameters), spec.values ?? {});
  const errors = validateValues(template.parameters, base, '/spec/values');
  // an override is blamed only for what it adds: the app's own problems are listed once, above
  const own = new Set(errors.map((e) => `${e.pointer.slice('/spec/values'.length)}\u0000${e.message}`));
  (spec.overrides ?? []).forEach((o, i) => {
    if (!o.values) return;
    const prefix = `/spec/overrides/${i}/values`;
    const merged = deepMerge(base, o.values);
    for (const e of validateValues(template.parameters, merged, prefix)) {
      if (!own.has(`${e.pointer.slice(prefix.length)}\u0000${e.message}`)) errors.push(e);
    }
  });
  return uniqueErrors(errors);
}
