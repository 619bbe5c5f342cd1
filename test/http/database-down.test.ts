import { describe, expect, it } from 'vitest';
import { openNodePostgres } from '../../db/node-postgres.js';
import { minimalApp } from '../support/minimal-app.js';

describe('when the database cannot be reached', () => {
  it('/healthz stays up, /readyz and data routes answer 503 with Retry-After, not 500', async () => {
    // nothing listens on port 1
    const { db, pool } = openNodePostgres('postgres://postgres@127.0.0.1:1/none', 1);
    const app = await minimalApp(db);
    try {
      expect((await app.request('/healthz')).status).toBe(200);
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('content-type')).toBe('application/problem+json');
      const data = await app.request('/v1/tenants', { headers: { authorization: `Bearer fp_${'x'.repeat(43)}` } });
      expect(data.status).toBe(503);
      expect(data.headers.get('retry-after')).toBe('5');
    } finally {
      await pool.end();
    }
  });
});
