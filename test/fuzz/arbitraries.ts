import fc from 'fast-check';

type Schema = Record<string, any>;

/** Follows a `#/components/...` reference in the document. */
export function resolve(doc: Schema, s: Schema): Schema {
  let out = s;
  for (let k = 0; out?.$ref && k < 20; k++) out = out.$ref.slice(2).split('/').reduce((o: any, p: string) => o?.[p], doc);
  return out ?? {};
}

const anyJson = fc.jsonValue({ maxDepth: 3 });

/**
 * A fast-check arbitrary of values that an OpenAPI 3.1 schema accepts (the
 * JSON Schema subset the document uses), leaning on the document's own
 * constraints; where a schema says too little (a refine in code, a pattern
 * fast-check cannot invert), values are often invalid: the server must say so
 * with a 400, which is what the fuzzer checks too.
 */
export function valid(doc: Schema, schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  if (depth > 6) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((x: Schema) => valid(doc, x, depth + 1)));
  if (s.allOf) return valid(doc, Object.assign({}, ...s.allOf.map((x: Schema) => resolve(doc, x))), depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type) {
    case 'string': {
      if (s.pattern) {
        try {
          return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 253) && x.length >= (s.minLength ?? 0));
        } catch {
          return fc.string();
        }
      }
      if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 80) });
    }
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? -1000, -1e6), max: Math.min(s.maximum ?? 100_000, 1e9) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valid(doc, s.items ?? {}, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
    case 'object': {
      const props: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) if (!(v as Schema).readOnly) props[k] = valid(doc, v as Schema, depth + 1);
      const record = fc.record(props, { requiredKeys: (s.required ?? []).filter((k: string) => k in props) });
      if (s.additionalProperties && typeof s.additionalProperties === 'object' && Object.keys(props).length === 0) {
        return fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), valid(doc, s.additionalProperties, depth + 1), { maxKeys: 3 });
      }
      return record;
    }
    default:
      return anyJson;
  }
}

/** Nested n levels of arrays: deeper than any body may go. */
const deep = (n: number) => JSON.parse('['.repeat(n) + ']'.repeat(n));

/** Mostly valid bodies, and mutations of them: a field dropped, one added, a wrong type, too deep, not JSON at all. */
export function body(doc: Schema, schema: Schema): fc.Arbitrary<{ raw: string; contentType: string }> {
  const json = (v: unknown) => ({ raw: JSON.stringify(v), contentType: 'application/json' });
  const base = valid(doc, schema);
  return fc.oneof(
    { weight: 5, arbitrary: base.map(json) },
    { weight: 1, arbitrary: base.map((v) => json(v && typeof v === 'object' && !Array.isArray(v) ? { ...v, unexpected: 1 } : v)) },
    { weight: 1, arbitrary: base.chain((v) => (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0
      ? fc.constantFrom(...Object.keys(v)).map((k) => json(Object.fromEntries(Object.entries(v).filter(([x]) => x !== k))))
      : fc.constant(json(v)))) },
    { weight: 1, arbitrary: anyJson.map(json) },
    { weight: 1, arbitrary: fc.integer({ min: 60, max: 400 }).map((n) => json({ spec: { values: { x: deep(n) } }, metadata: { labels: {} } })) },
    { weight: 1, arbitrary: fc.string().map((raw) => ({ raw, contentType: 'application/json' })) },
    { weight: 1, arbitrary: base.map((v) => ({ raw: JSON.stringify(v), contentType: 'text/plain' })) },
  );
}
