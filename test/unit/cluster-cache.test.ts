import { describe, expect, it } from 'vitest';
import { ClusterCache } from '../../worker/push/cluster-cache.js';

const row = (desiredRevision: number, generation = 1) => ({ uid: 'c1', tenantId: 't', generation, desiredRevision });

describe('the cluster cache', () => {
  it('serves an entry only for its credential generation and only within its age bound', () => {
    const cache = new ClusterCache(1000);
    cache.fill('c1', row(5), cache.mark(), 0);
    expect(cache.get('c1', 1, 999)?.desiredRevision).toBe(5);
    expect(cache.get('c1', 2, 10)).toBeUndefined();
    expect(cache.get('c1', 0, 10)).toBeUndefined();
    expect(cache.get('c1', 1, 1001)).toBeUndefined();
    expect(cache.size).toBe(0); // expired entries go
  });

  it('a publish raises the revision; a disconnect drops the cluster', () => {
    const cache = new ClusterCache(1000);
    cache.fill('c1', row(5), cache.mark(), 0);
    cache.advance('c1', 7);
    cache.advance('c1', 6); // late and lower: kept at 7
    expect(cache.get('c1', 1, 1)?.desiredRevision).toBe(7);
    cache.drop('c1');
    expect(cache.get('c1', 1, 1)).toBeUndefined();
  });

  it('a read that raced a publish, a disconnect or a reset is not stored', () => {
    const cache = new ClusterCache(1000);
    for (const change of [() => cache.advance('c1', 9), () => cache.drop('c1'), () => cache.reset(true)]) {
      const mark = cache.mark();
      change();
      cache.fill('c1', row(5), mark, 0);
      expect(cache.get('c1', 1, 1)).toBeUndefined();
    }
  });

  it('stores nothing while turned off, and forgets everything when turned off', () => {
    const cache = new ClusterCache(1000);
    cache.fill('c1', row(5), cache.mark(), 0);
    cache.reset(false);
    expect(cache.size).toBe(0);
    cache.fill('c1', row(5), cache.mark(), 0);
    expect(cache.get('c1', 1, 1)).toBeUndefined();
    cache.reset(true);
    cache.fill('c1', row(5), cache.mark(), 0);
    expect(cache.get('c1', 1, 1)?.desiredRevision).toBe(5);
  });

  it('keeps at most its bound of clusters, the least recently filled going first', () => {
    const cache = new ClusterCache(1000, 2);
    for (const uid of ['a', 'b', 'c']) cache.fill(uid, { ...row(1), uid }, cache.mark(), 0);
    expect(cache.size).toBe(2);
    expect(cache.get('a', 1, 1)).toBeUndefined();
    expect(cache.get('c', 1, 1)).toBeDefined();
  });
});
