/**
 * Every operation of the served OpenAPI document, fuzzed (fast-check): path
 * parameters that exist and that do not, query parameters, preconditions and
 * idempotency keys, every kind of token, and bodies made from the document's
 * schemas, valid and mutated. On every answer: no 5xx; every error a
 * problem+json whose status is the HTTP status, a 400 listing its errors with
 * pointers; the status one the operation declares; a 2xx body valid against
 * its declared schema. FUZZ_SEED and FUZZ_RUNS (per operation) change the run;
 * `npm run fuzz` runs many more.
 */
import { Validator } from '@cfworker/json-schema';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHarness, type LocalHarness as Harness } from '../support/harness.js';
import { appSpec, publishWebTemplate, putApp } from '../support/apps.js';
import { joinCluster } from '../support/fleet.js';
import { body, valid } from './arbitraries.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
let h: Harness;
let doc: any;
const known: Record<string, string[]> = {};
const tokens: Record<string, string | undefined> = {};

beforeAll(async () => {
  h = await startLocalHarness();
  doc = (await h.call('GET', '/openapi.json')).body;
  for (const t of ['acme', 'other']) await h.call('PUT', `/v1/tenants/${t}`, { token: h.adminToken, body: { spec: { displayName: t } } });
  await publishWebTemplate(h, 'acme', h.adminToken);
  const edge = await joinCluster(h, 'acme', 'edge', { env: 'prod' });
  await putApp(h, 'acme', h.adminToken, 'shop', appSpec());
  await h.call('PUT', '/v1/tenants/acme/namespaces/team', { token: h.adminToken, body: { spec: { placement: { clusters: ['edge'] } } } });
  await h.call('PUT', '/v1/tenants/acme/members/alice', { token: h.adminToken, body: { spec: { role: 'viewer' } } });
  const viewer = await h.call('POST', '/v1/tenants/acme/tokens', { token: h.adminToken, body: { spec: { role: 'viewer', description: 'fuzz' } } });
  const foreign = await h.call('POST', '/v1/tenants/other/tokens', { token: h.adminToken, body: { spec: { role: 'owner', description: 'fuzz' } } });
  Object.assign(tokens, { admin: h.adminToken, viewer: viewer.body.token, foreign: foreign.body.token, connector: edge.credential, garbage: 'fp_not-a-token', none: undefined });
  Object.assign(known, {
    tenant: ['acme', 'other'], cluster: ['edge'], template: ['web'], version: ['1.0.0'], app: ['shop'], namespace: ['team'],
    subject: ['alice'], id: [viewer.body.metadata?.name ?? viewer.body.id ?? 'x'], joinToken: ['fpj_unknown'], name: ['hook'],
  });
}, 60_000);
afterAll(() => h?.close());

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item).filter(([m]) => ['get', 'put', 'post', 'delete', 'patch'].includes(m)).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

/** Parameter values: the fixture's names, and anything else a caller could put in a URL (never empty, '.' or '..': those name another resource). */
const paramValue = (name: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...(known[name] ?? ['x'])) },
    // '.' and '..' are not names: URL parsers resolve them away, to another path
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 80 }).filter((v) => v !== '.' && v !== '..') },
    { weight: 1, arbitrary: fc.constantFrom('%00', 'a'.repeat(300), 'ÄÖ', ' ', '..a') },
  );

function requestFor(op: any, path: string) {
  const params: any[] = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const query = params.filter((p) => p.in === 'query');
  const schema = op.requestBody?.content?.['application/json']?.schema;
  return fc.record({
    path: fc.tuple(...pathParams.map((p) => paramValue(p.name).map((v) => [p.name, v] as const))).map((pairs) =>
      pairs.reduce((acc, [k, v]) => acc.replace(`{${k}}`, encodeURIComponent(v)), path)),
    query: fc.tuple(...query.map((p) => fc.option(fc.oneof(valid(doc, p.schema ?? {}).map(String), fc.string({ maxLength: 30 })), { nil: undefined }).map((v) => [p.name, v] as const)))
      .map((pairs) => new URLSearchParams(pairs.filter(([, v]) => v !== undefined) as [string, string][]).toString()),
    // mostly the credential the operation takes, so that most requests get past authentication to the checks behind it
    token: fc.oneof(
      { weight: 6, arbitrary: fc.constant(path.startsWith('/v1/connector/') ? 'connector' : 'admin') },
      { weight: 3, arbitrary: fc.constantFrom('admin', 'viewer', 'foreign', 'connector', 'garbage', 'none') },
    ),
    precondition: fc.constantFrom<Record<string, string>>({}, {}, { 'if-match': '"1"' }, { 'if-match': '*' }, { 'if-none-match': '*' }, { 'if-match': 'garbage' }),
    idempotency: fc.option(fc.string({ minLength: 1, maxLength: 300 }), { nil: undefined, freq: 4 }),
    body: schema ? fc.option(body(doc, schema), { nil: undefined, freq: 10 }) : fc.constant(undefined),
  });
}

const validators = new Map<object, Validator>();
function bodyProblems(schema: object, value: unknown) {
  let v = validators.get(schema);
  if (!v) validators.set(schema, (v = new Validator({ ...schema, components: doc.components } as any, '2020-12', false)));
  return v.validate(value).errors.map((e) => `${e.instanceLocation}: ${e.error}`);
}

describe(`every operation of /openapi.json, fuzzed (seed ${SEED}, ${RUNS} runs each)`, () => {
  it('answers no 5xx, problem+json errors with pointers, declared statuses and bodies', async () => {
    let cases = 0;
    let checked = 0;
    const byStatus: Record<number, number> = {};
    const started = performance.now();
    for (const { path, method, op } of operations()) {
      await fc.assert(
        fc.asyncProperty(requestFor(op, path), async (r) => {
          cases++;
          const headers: Record<string, string> = { ...r.precondition };
          if (r.idempotency && method === 'POST') headers['idempotency-key'] = r.idempotency;
          if (r.body) headers['content-type'] = r.body.contentType;
          const url = r.query ? `${r.path}?${r.query}` : r.path;
          const res = await h.app.request(url, { method, headers: { ...headers, ...(tokens[r.token] ? { authorization: `Bearer ${tokens[r.token]}` } : {}) }, body: r.body?.raw });
          const text = await res.text();
          byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
          const what = `${method} ${url} as ${r.token} ${JSON.stringify(headers)} ${r.body?.raw.slice(0, 300) ?? ''} → ${res.status} ${text.slice(0, 400)}`;
          expect(res.status, what).toBeLessThan(500);
          const declared = Object.keys(op.responses);
          expect(declared, `undeclared status: ${what}`).toContain(String(res.status));
          const type = res.headers.get('content-type') ?? '';
          if (res.status >= 400) {
            expect(type, what).toMatch(/application\/problem\+json/);
            const p = JSON.parse(text);
            expect(p.status, what).toBe(res.status);
            expect(typeof p.requestId, what).toBe('string');
            if (res.status === 400) {
              expect(Array.isArray(p.errors) && p.errors.length > 0, `a 400 without errors[]: ${what}`).toBe(true);
              for (const e of p.errors) expect(typeof e.pointer === 'string' && typeof e.message === 'string', what).toBe(true);
            }
          } else if (type.includes('application/json') && text) {
            const schema = op.responses[String(res.status)]?.content?.['application/json']?.schema;
            if (schema) {
              checked++;
              expect(bodyProblems(schema, JSON.parse(text)), `schema: ${what}`).toEqual([]);
            }
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    }
    console.log(`fuzz: ${cases} requests over ${operations().length} operations in ${((performance.now() - started) / 1000).toFixed(1)} s (driver ${h.driver}); answers ${JSON.stringify(byStatus)}; ${checked} 2xx bodies checked against their schemas`);
    expect(checked).toBeGreaterThan(0);
  }, 300_000);
});
