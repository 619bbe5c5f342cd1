import { isDeepStrictEqual } from 'node:util';
import { errorsAt, type Problem } from './problem.js';

/**
 * Fields generated from a template version's JSON Schema, and the values read
 * back from them. One control per property, labelled by its title or name and
 * typed by the schema; objects nest as fieldsets; what has no natural control
 * (arrays, free-form objects) is edited as JSON. Values equal to the schema's
 * default are left out, so an app's spec holds only what its author chose.
 */
type Schema = {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  maxLength?: number;
  properties?: Record<string, Schema>;
};

const FIELD = 'values';
const BOOLEANS = 'booleans';
const typeOf = (s: Schema) => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);
const isObject = (s: Schema) => typeOf(s) === 'object' && s.properties !== undefined;
const fieldName = (path: string[]) => [FIELD, ...path].join('.');
const fieldId = (path: string[]) => `param-${path.join('-')}`;
export const pointerOf = (path: string[]) => `/spec/values/${path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

const at = (values: unknown, path: string[]) =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), values);

function Control({ path, schema, value, problem }: { path: string[]; schema: Schema; value: unknown; problem: Problem | undefined }) {
  const id = fieldId(path);
  const label = schema.title ?? path.at(-1)!;
  const errors = errorsAt(problem, pointerOf(path));
  const describedBy = [schema.description ? `${id}-help` : '', errors.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const current = value === undefined ? schema.default : value;
  const invalid = errors.length ? 'true' : undefined;
  const t = typeOf(schema);
  let control;
  if (schema.enum) {
    control = (
      <select id={id} name={fieldName(path)} aria-describedby={describedBy} aria-invalid={invalid}>
        {schema.enum.map((v) => <option value={JSON.stringify(v)} selected={isDeepStrictEqual(v, current)}>{String(v)}</option>)}
      </select>
    );
  } else if (t === 'boolean') {
    return (
      <div>
        <input type="hidden" name={BOOLEANS} value={fieldName(path)} />
        <label for={id}>
          <input type="checkbox" id={id} name={fieldName(path)} value="true" checked={current === true} aria-describedby={describedBy} aria-invalid={invalid} role="switch" />
          {label}
        </label>
        {schema.description && <small id={`${id}-help`}>{schema.description}</small>}
        {errors.length > 0 && <small id={`${id}-error`} class="field-error">{errors.join(' ')}</small>}
      </div>
    );
  } else if (t === 'integer' || t === 'number') {
    control = <input type="number" id={id} name={fieldName(path)} value={current === undefined ? '' : String(current)} min={schema.minimum} max={schema.maximum}
      step={t === 'integer' ? 1 : 'any'} aria-describedby={describedBy} aria-invalid={invalid} />;
  } else if (t === 'string') {
    control = <input type="text" id={id} name={fieldName(path)} value={typeof current === 'string' ? current : ''} maxlength={schema.maxLength}
      aria-describedby={describedBy} aria-invalid={invalid} spellcheck={false} />;
  } else {
    control = <textarea id={id} name={`${fieldName(path)}:json`} rows={3} aria-describedby={describedBy} aria-invalid={invalid} spellcheck={false}>
      {current === undefined ? '' : JSON.stringify(current, null, 2)}
    </textarea>;
  }
  return (
    <div>
      <label for={id}>{t === 'string' || t === 'integer' || t === 'number' || schema.enum ? label : `${label} (JSON)`}</label>
      {control}
      {schema.description && <small id={`${id}-help`}>{schema.description}</small>}
      {errors.length > 0 && <small id={`${id}-error`} class="field-error">{errors.join(' ')}</small>}
    </div>
  );
}

function Fields({ schema, path, values, problem }: { schema: Schema; path: string[]; values: unknown; problem: Problem | undefined }) {
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([k, s]) => isObject(s)
        ? (
          <fieldset>
            <legend>{s.title ?? k}</legend>
            {s.description && <small>{s.description}</small>}
            <Fields schema={s} path={[...path, k]} values={values} problem={problem} />
          </fieldset>
        )
        : <Control path={[...path, k]} schema={s} value={at(values, [...path, k])} problem={problem} />)}
    </>
  );
}

/** The parameters' fieldset; a schema without properties takes its values as one JSON object. */
export function SchemaForm({ schema, values, problem }: { schema: Record<string, unknown> | undefined; values: unknown; problem?: Problem | undefined }) {
  const s = (schema ?? {}) as Schema;
  if (!isObject(s)) return <Control path={[]} schema={{ title: 'Values' }} value={values ?? {}} problem={problem} />;
  return (
    <fieldset>
      <legend>Parameters</legend>
      <Fields schema={s} path={[]} values={values} problem={problem} />
    </fieldset>
  );
}

/** The values the form holds, typed by the schema; input that cannot be read is an error at its pointer. */
export function valuesFromForm(schema: Record<string, unknown> | undefined, form: Record<string, string>, booleans: Set<string>) {
  const errors: { pointer: string; message: string }[] = [];
  const read = (s: Schema, path: string[]): unknown => {
    const name = fieldName(path);
    const t = typeOf(s);
    if (s.enum) return form[name] === undefined ? undefined : JSON.parse(form[name]!);
    if (t === 'boolean') return booleans.has(name) ? form[name] === 'true' : undefined;
    if (t === 'integer' || t === 'number') {
      const raw = (form[name] ?? '').trim();
      if (raw === '') return undefined;
      const n = Number(raw);
      if (!Number.isFinite(n)) errors.push({ pointer: pointerOf(path), message: `“${raw}” is not a number` });
      return Number.isFinite(n) ? n : raw;
    }
    if (t === 'string') return form[name];
    const raw = (form[`${name}:json`] ?? '').trim();
    if (raw === '') return undefined;
    try {
      return JSON.parse(raw);
    } catch (e) {
      errors.push({ pointer: path.length ? pointerOf(path) : '/spec/values', message: `not JSON: ${(e as Error).message}` });
      return undefined;
    }
  };
  const walk = (s: Schema, path: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(s.properties ?? {})) {
      const v = isObject(child) ? walk(child, [...path, k]) : read(child, [...path, k]);
      const empty = isObject(child) && Object.keys(v as object).length === 0;
      if (v !== undefined && !empty && !isDeepStrictEqual(v, child.default)) out[k] = v;
    }
    return out;
  };
  const s = (schema ?? {}) as Schema;
  const values = isObject(s) ? walk(s, []) : ((read({}, []) as Record<string, unknown> | undefined) ?? {});
  return { values, errors };
}
