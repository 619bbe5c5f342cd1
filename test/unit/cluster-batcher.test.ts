import { describe, expect, it } from 'vitest';
import { ClusterBatcher } from '../../worker/lib/cluster-batcher.js';

type Write = { clusterUid: string; n: number; bytes?: number };

/** A batcher over a fake statement that records each batch and fails any batch holding `poison` with `failure`. */
function batcher(max: { rows: number; weight?: number }, poison?: string, failure: () => Error = () => new Error('refused by the database')) {
  const batches: string[][] = [];
  const b = new ClusterBatcher<Write, number>(async (batch) => {
    batches.push(batch.map((w) => `${w.clusterUid}:${w.n}`));
    await new Promise((ok) => setTimeout(ok, 5));
    if (batch.some((w) => w.clusterUid === poison)) throw failure();
    return new Map(batch.filter((w) => w.clusterUid !== 'gone').map((w) => [w.clusterUid, w.n * 10]));
  }, { ...max, weigh: (w) => w.bytes ?? 0 }, 1);
  return { b, batches };
}

describe('ClusterBatcher', () => {
  it('writes what arrives together in one batch, in cluster order, one write per cluster per batch', async () => {
    const { b, batches } = batcher({ rows: 100 });
    const answers = await Promise.all([['c', 1], ['a', 2], ['c', 3], ['b', 4], ['gone', 5]].map(([clusterUid, n]) => b.write({ clusterUid: clusterUid as string, n: n as number })));
    expect(answers).toEqual([10, 20, 30, 40, undefined]); // a cluster the statement leaves out: undefined
    expect(batches).toEqual([['a:2', 'b:4', 'c:1', 'gone:5'], ['c:3']]);
  });

  it('keeps a batch within its rows and its weight (a first write heavier than the weight still goes, alone)', async () => {
    const { b, batches } = batcher({ rows: 2, weight: 100 });
    await Promise.all([
      b.write({ clusterUid: 'a', n: 1, bytes: 500 }), b.write({ clusterUid: 'b', n: 2, bytes: 60 }),
      b.write({ clusterUid: 'c', n: 3, bytes: 60 }), b.write({ clusterUid: 'd', n: 4, bytes: 10 }), b.write({ clusterUid: 'e', n: 5, bytes: 10 }),
    ]);
    expect(batches).toEqual([['a:1'], ['b:2', 'd:4'], ['c:3', 'e:5']]);
  });

  it('a batch the database refuses is written again one by one: only the write at fault fails', async () => {
    const { b, batches } = batcher({ rows: 100 }, 'bad');
    const answers = await Promise.allSettled(['x', 'bad', 'y'].map((clusterUid, n) => b.write({ clusterUid, n })));
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(answers[0]).toMatchObject({ value: 0 });
    expect(answers[2]).toMatchObject({ value: 20 });
    expect(batches).toEqual([['bad:1', 'x:0', 'y:2'], ['bad:1'], ['x:0'], ['y:2']]);
    expect(b.stats).toMatchObject({ batches: 2, rows: 2, retried: 3 });
  });

  it.each([
    ['past its statement time limit', () => Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })],
    ['unanswered past the driver’s limit', () => new Error('Query read timeout')],
    ['unreachable', () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
  ])('a batch failed by a database %s fails every write at once, none written again alone', async (_why, failure) => {
    const { b, batches } = batcher({ rows: 100 }, 'x', failure);
    const answers = await Promise.allSettled(['x', 'y', 'z'].map((clusterUid, n) => b.write({ clusterUid, n })));
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(batches).toEqual([['x:0', 'y:1', 'z:2']]);
    expect(b.stats).toMatchObject({ batches: 0, retried: 0 });
  });
});
