import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Hono's `c.var` builds a new object from every variable of the request on each
 * access; the handlers read a few variables many times a request, so on the hot
 * paths that copying was more of a GET's time than the route's own work. They read
 * each with `c.get(name)`, a map lookup. This keeps it so.
 */
describe('request variables', () => {
  it('are read with c.get, never through c.var', async () => {
    const root = join(import.meta.dirname, '../../worker');
    const files = (await readdir(root, { recursive: true })).filter((f) => /\.tsx?$/.test(f));
    const uses: string[] = [];
    for (const f of files) {
      const text = await readFile(join(root, f), 'utf8');
      text.split('\n').forEach((line, i) => {
        if (/\bc\.var\.\w/.test(line.replace(/\/\/.*$/, ''))) uses.push(`worker/${f}:${i + 1}`);
      });
    }
    expect(files.length).toBeGreaterThan(50);
    expect(uses).toEqual([]);
  });
});
