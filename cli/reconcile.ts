import { isDeepStrictEqual } from 'node:util';
import { ApiFailure, expectOk, outcome, type Api } from './api.js';
import type { Doc } from './documents.js';
import { refLabel, toManifest, type Resource, type Write } from './kinds.js';

export type ApplyResult = 'created' | 'updated' | 'unchanged';

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

/** Labels and spec equal what the file says (key order aside): a PUT would change nothing. */
export const sameContent = (current: Resource, d: Doc) =>
  isDeepStrictEqual(current.metadata.labels ?? {}, d.labels) && isDeepStrictEqual(current.spec, d.spec);

const writeOf = (d: Doc): Write => ({ metadata: { name: d.ref.name, labels: d.labels }, spec: d.spec });

/** The file's object in its re-appliable form, for diffs. */
export const desiredManifest = (d: Doc) => toManifest(d.kind, { metadata: { name: d.ref.name, labels: d.labels, resourceVersion: '' }, spec: d.spec }, d.ref);

/**
 * Makes the server hold what the document says: a create with `If-None-Match: *`,
 * a replace with `If-Match` on the version just read (so a change made in
 * between is not overwritten), nothing when labels and spec are already equal.
 */
export async function applyDocument(api: Api, tenant: string, d: Doc): Promise<ApplyResult> {
  const current = await readCurrent(api, tenant, d);
  if (!current) {
    const put = await d.kind.put(api, tenant, d.ref, writeOf(d), { 'If-None-Match': '*' });
    expectOk(put, `creating ${docLabel(d)}`);
    return put.status === 201 ? 'created' : 'unchanged';
  }
  if (sameContent(current, d)) return 'unchanged';
  const put = await d.kind.put(api, tenant, d.ref, writeOf(d), { 'If-Match': `"${current.metadata.resourceVersion}"` });
  if (put.status === 412) throw new ApiFailure(412, put.problem, `${docLabel(d)} changed on the server while being applied; apply again`);
  const stored = expectOk(put, `applying ${docLabel(d)}`);
  return stored.metadata.resourceVersion === current.metadata.resourceVersion ? 'unchanged' : 'updated';
}
