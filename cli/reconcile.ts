import { isDeepStrictEqual } from 'node:util';
import { ApiFailure, expectOk, outcome, type Api } from './api.js';
import type { Doc } from './documents.js';
import { refLabel, toManifest, type Resource, type Write } from './kinds.js';

export type ApplyResult = 'created' | 'updated' | 'unchanged';

export interface Applied {
  result: ApplyResult;
  /** write-only fields the server made and shows this once (a generated webhook secret): [field, value] */
  shownOnce: [string, unknown][];
}

export const docLabel = (d: Doc) => refLabel(d.kind, d.ref);

/** The object as the server holds it now; undefined when there is none (for a version: nor its template). */
export async function readCurrent(api: Api, tenant: string, d: Doc): Promise<Resource | undefined> {
  const got = await d.kind.get(api, tenant, d.ref);
  if (got.status === 404) return undefined;
  return expectOk(got, `reading ${docLabel(d)}`);
}

/** Fails unless the tenant exists for the caller, so that a 404 afterwards means "no such object". */
export async function checkTenant(api: Api, tenant: string) {
  expectOk(await outcome(api.GET('/v1/tenants/{tenant}', { params: { path: { tenant } } })), `tenant ${tenant}`);
}

/** The file's spec without the fields the server never shows, for comparing with what it shows. */
const comparable = (d: Doc) =>
  Object.fromEntries(Object.entries(d.spec).filter(([k]) => !d.kind.writeOnly?.includes(k)));

/** Write-only fields the file sets: the server's copy cannot be compared with them, so they are always sent. */
export const writeOnlyIn = (d: Doc) => (d.kind.writeOnly ?? []).filter((k) => d.spec[k] !== undefined);

/** Labels and spec equal what the file says (key order aside; write-only fields left out): a PUT would change nothing the server shows. */
export const sameContent = (current: Resource, d: Doc) =>
  isDeepStrictEqual(current.metadata.labels ?? {}, d.labels) && isDeepStrictEqual(current.spec, comparable(d));

const writeOf = (d: Doc): Write => ({ metadata: { name: d.ref.name, labels: d.labels }, spec: d.spec });

/** The file's object in its re-appliable form, for diffs (write-only fields left out, as the server's copy has them). */
export const desiredManifest = (d: Doc) =>
  toManifest(d.kind, { metadata: { name: d.ref.name, labels: d.labels, resourceVersion: '' }, spec: comparable(d) }, d.ref);

/** Write-only fields the answer shows that the file did not set: made by the server, shown this once. */
const madeByServer = (d: Doc, stored: Resource): [string, unknown][] =>
  (d.kind.writeOnly ?? []).filter((k) => d.spec[k] === undefined && stored.spec[k] !== undefined).map((k) => [k, stored.spec[k]]);

/**
 * Makes the server hold what the document says: a create with `If-None-Match: *`,
 * a replace with `If-Match` on the version just read (so a change made in
 * between is not overwritten), nothing when labels and spec are already equal.
 */
export async function applyDocument(api: Api, tenant: string, d: Doc): Promise<Applied> {
  const current = await readCurrent(api, tenant, d);
  if (!current) {
    const put = await d.kind.put(api, tenant, d.ref, writeOf(d), { 'If-None-Match': '*' });
    const stored = expectOk(put, `creating ${docLabel(d)}`);
    return { result: put.status === 201 ? 'created' : 'unchanged', shownOnce: madeByServer(d, stored) };
  }
  // a write-only field cannot be compared: the server tells whether it changed anything
  if (sameContent(current, d) && writeOnlyIn(d).length === 0) return { result: 'unchanged', shownOnce: [] };
  const put = await d.kind.put(api, tenant, d.ref, writeOf(d), { 'If-Match': `"${current.metadata.resourceVersion}"` });
  if (put.status === 412) throw new ApiFailure(412, put.problem, `${docLabel(d)} changed on the server while being applied; apply again`);
  const stored = expectOk(put, `applying ${docLabel(d)}`);
  const result = stored.metadata.resourceVersion === current.metadata.resourceVersion ? 'unchanged' : 'updated';
  return { result, shownOnce: [] };
}
