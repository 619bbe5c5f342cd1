import { ApiError } from './problem.js';

export interface Preconditions {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
}

export const etagOf = (resourceVersion: number | string) => `"${resourceVersion}"`;

function tags(header: string): string[] {
  return header.split(',').map((t) => t.trim().replace(/^W\//, ''));
}

const failed = (detail: string) => new ApiError(412, 'precondition_failed', detail);

/**
 * RFC 9110 §13.1 for writes: `If-Match` needs a current representation whose tag
 * is listed (or `*`); `If-None-Match: *` needs there to be none.
 */
export function checkWritePreconditions(p: Preconditions, current: { resourceVersion: number } | undefined) {
  if (p.ifMatch !== undefined) {
    if (!current) throw failed('If-Match given but the resource does not exist');
    const list = tags(p.ifMatch);
    if (!list.includes('*') && !list.includes(etagOf(current.resourceVersion))) {
      throw failed(`If-Match does not match the current ETag ${etagOf(current.resourceVersion)}`);
    }
  }
  if (p.ifNoneMatch !== undefined && current) {
    const list = tags(p.ifNoneMatch);
    if (list.includes('*') || list.includes(etagOf(current.resourceVersion))) {
      throw failed('If-None-Match: the resource already exists');
    }
  }
}

/** For GET: whether the client's cached copy is still current (→ 304). */
export function notModified(ifNoneMatch: string | undefined, resourceVersion: number | string) {
  return ifNoneMatch !== undefined && tags(ifNoneMatch).includes(etagOf(resourceVersion));
}
