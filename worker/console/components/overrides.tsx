import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { SelectorError } from '../../lib/label-selector.js';
import { selectorOfText, selectorText } from './placement.js';
import { errorsAt, type Problem } from './problem.js';
import type { AppSpecView } from './types.js';

/** One override row as the form holds it: text, parsed only when the spec is built. */
export interface OverrideRow {
  clusters: string;
  selector: string;
  values: string;
}

type Override = NonNullable<AppSpecView['overrides']>[number];

export const rowOf = (o: Override): OverrideRow => ({
  clusters: (o.clusters ?? []).join(', '),
  selector: o.selector ? selectorText(o.selector as never) : '',
  values: o.values && Object.keys(o.values).length ? toYaml(o.values) : '',
});

/** The rows posted (`override.N.*`), in order; rows left wholly empty are dropped. */
export function rowsFromForm(form: Record<string, string>): OverrideRow[] {
  const rows: OverrideRow[] = [];
  for (let i = 0; form[`override.${i}.values`] !== undefined; i++) {
    const row = { clusters: form[`override.${i}.clusters`] ?? '', selector: form[`override.${i}.selector`] ?? '', values: form[`override.${i}.values`] ?? '' };
    if (row.clusters.trim() || row.selector.trim() || row.values.trim()) rows.push(row);
  }
  return rows;
}

/** Rows → the spec's overrides; what cannot be read is an error at its pointer (/spec/overrides/N/...). */
export function overridesOf(rows: OverrideRow[]) {
  const errors: { pointer: string; message: string }[] = [];
  const overrides = rows.map((r, i): Override => {
    const o: Override = {};
    const names = r.clusters.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length) o.clusters = names;
    if (r.selector.trim()) {
      try {
        o.selector = selectorOfText(r.selector);
      } catch (e) {
        if (!(e instanceof SelectorError)) throw e;
        errors.push({ pointer: `/spec/overrides/${i}/selector`, message: e.message });
      }
    }
    if (r.values.trim()) {
      try {
        const v: unknown = parseYaml(r.values);
        if (v && typeof v === 'object' && !Array.isArray(v)) o.values = v as Record<string, unknown>;
        else errors.push({ pointer: `/spec/overrides/${i}/values`, message: 'values must be a mapping, e.g. replicas: 3' });
      } catch (e) {
        errors.push({ pointer: `/spec/overrides/${i}/values`, message: `not YAML: ${(e as Error).message.split('\n')[0]}` });
      }
    }
    return o;
  });
  return { overrides, errors };
}

export function OverrideRows({ rows, problem }: { rows: OverrideRow[]; problem: Problem | undefined }) {
  return (
    <>
      {rows.map((r, i) => {
        const err = (what: string) => errorsAt(problem, `/spec/overrides/${i}${what}`);
        const all = [...err('/clusters'), ...err('/selector'), ...(problem?.errors ?? []).filter((e) => e.pointer === `/spec/overrides/${i}`).map((e) => e.message)];
        return (
          <fieldset>
            <legend>{`Override ${i + 1}`}</legend>
            <label for={`ov-${i}-clusters`}>Clusters</label>
            <input id={`ov-${i}-clusters`} name={`override.${i}.clusters`} value={r.clusters} placeholder="edge-1, edge-2" aria-describedby={all.length ? `ov-${i}-target-error` : undefined} />
            <label for={`ov-${i}-selector`}>Cluster selector</label>
            <input id={`ov-${i}-selector`} name={`override.${i}.selector`} value={r.selector} placeholder="region=eu" aria-describedby={all.length ? `ov-${i}-target-error` : undefined} />
            {all.length > 0 && <small id={`ov-${i}-target-error`} class="field-error">{all.join(' ')}</small>}
            <label for={`ov-${i}-values`}>Override values (YAML)</label>
            <textarea id={`ov-${i}-values`} name={`override.${i}.values`} rows={3} spellcheck={false}
              aria-describedby={err('/values').length ? `ov-${i}-values-error` : undefined}>{r.values}</textarea>
            {err('/values').length > 0 && <small id={`ov-${i}-values-error`} class="field-error">{err('/values').join(' ')}</small>}
          </fieldset>
        );
      })}
    </>
  );
}
