import { describe, expect, it } from 'vitest';
import { BatchLoader } from '../../worker/lib/batch-loader.js';

describe('BatchLoader', () => {
  it('keys asked in the same turn are read with one query, a key asked twice once, a missing key as undefined', async () => {
    const reads: string[][] = [];
    const loader = new BatchLoader<string, number>(async (keys) => {
      reads.push(keys);
      return new Map(keys.filter((k) => k !== 'x').map((k) => [k, k.length]));
    });
    const got = await Promise.all(['a', 'bb', 'a', 'x', 'ccc'].map((k) => loader.load(k)));
    expect(got).toEqual([1, 2, 1, undefined, 3]);
    expect(reads).toEqual([['a', 'bb', 'x', 'ccc']]);
  });

  it('a failed read rejects every caller of that batch only', async () => {
    let fail = true;
    const loader = new BatchLoader<string, string>(async (keys) => {
      if (fail) {
        fail = false;
        throw new Error('down');
      }
      return new Map(keys.map((k) => [k, k]));
    });
    const first = await Promise.allSettled([loader.load('a'), loader.load('b')]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await loader.load('a')).toBe('a');
  });

  it('reads at most maxKeys keys per query', async () => {
    const sizes: number[] = [];
    const loader = new BatchLoader<number, number>(async (keys) => {
      sizes.push(keys.length);
      return new Map(keys.map((k) => [k, k]));
    }, 3);
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((k) => loader.load(k)));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(7);
    expect(Math.max(...sizes)).toBe(3);
  });
});
