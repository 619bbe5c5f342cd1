import { describe, expect, it } from 'vitest';
import { TrailingRuns } from '../../worker/lib/trailing-run.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('TrailingRuns', () => {
  it('many calls during a run share one next run, which starts after it and gets the last argument', async () => {
    const runs = new TrailingRuns<string>();
    const started: number[] = [];
    let release!: () => void;
    const fn = async (n: number) => {
      started.push(n);
      if (started.length === 1) await new Promise<void>((r) => (release = r));
    };
    const first = runs.after('app', 1, fn);
    const later = [2, 3, 4, 5].map((n) => runs.after('app', n, fn));
    await tick();
    expect(started).toEqual([1]); // the next run waits for the first
    release();
    await Promise.all([first, ...later]);
    expect(started).toEqual([1, 5]);
    // idle again: a call starts a run at once
    await runs.after('app', 6, fn);
    expect(started).toEqual([1, 5, 6]);
  });

  it('keys run independently; a failed run rejects its callers and does not stop the next', async () => {
    const runs = new TrailingRuns<string>();
    const seen: string[] = [];
    const failing = runs.after('a', 'x', async () => {
      await tick();
      throw new Error('boom');
    });
    const queued = runs.after('a', 'y', async (v) => void seen.push(v));
    const other = runs.after('b', 'z', async (v) => void seen.push(v));
    await expect(failing).rejects.toThrow('boom');
    await queued;
    await other;
    expect(seen.sort()).toEqual(['y', 'z']);
  });
});
