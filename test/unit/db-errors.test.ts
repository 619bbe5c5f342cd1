import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../worker/lib/db-errors.js';

describe('database errors', () => {
  it('tells "cannot reach the database" from other failures, through causes', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('query failed', { cause: Object.assign(new Error('x'), { code: '57P01' }) }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Network connection lost.'))).toBe(true);
    // a pooled client whose connection Postgres ended while it was checked out, asked again
    expect(isDatabaseUnavailable(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    // the pool's wait for a free connection ran out: shed with a 503
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('dup'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('undefined is not a function'))).toBe(false);
  });
});
