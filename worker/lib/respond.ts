import type { Context } from 'hono';
import { etagOf, notModified } from './preconditions.js';
import { setResponseHeader } from './response-header.js';
import type { StoredResource } from './resource-store.js';

export function toResource<S, T>(row: StoredResource, status: T) {
  return {
    metadata: {
      name: row.name,
      labels: row.labels,
      uid: row.uid,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      generation: row.generation,
      resourceVersion: String(row.resourceVersion),
    },
    spec: row.spec as S,
    status,
  };
}

/** A single-resource answer: JSON with its ETag; 304 when the client's copy is current. */
export function sendResource<B extends { metadata: { resourceVersion: string } }>(c: Context, body: B, code: 200 | 201 = 200) {
  setResponseHeader(c, 'ETag', etagOf(body.metadata.resourceVersion));
  if (code === 200 && c.req.method === 'GET' && notModified(c.req.header('if-none-match'), body.metadata.resourceVersion)) {
    return c.body(null, 304);
  }
  return c.json(body, code);
}

export const preconditionsOf = (c: Context) => ({
  ifMatch: c.req.header('if-match'),
  ifNoneMatch: c.req.header('if-none-match'),
});
