import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { SharedProcess } from './shared-teardown.js';

const started = Symbol.for('fleetplane.test.sharedPerProcess');
type Store = Map<string, Promise<SharedProcess>>;

/**
 * One of a thing per test process (a Node project runs many files in one process), started
 * by the first file that asks for it and recorded where the run's global teardown finds it
 * (test/support/shared-teardown.ts): a test process is ended without an event to stop it in.
 */
export function sharedPerProcess<T extends SharedProcess>(key: string, start: () => Promise<T>): Promise<T> {
  const store: Store = ((globalThis as Record<symbol, Store>)[started] ??= new Map());
  let running = store.get(key) as Promise<T> | undefined;
  if (!running) {
    running = start().then(async (r) => {
      const record: SharedProcess = { pid: r.pid, dataDir: r.dataDir, databaseUrl: r.databaseUrl };
      await writeFile(join(inject('sharedRegistry'), `${process.pid}-${key}.json`), JSON.stringify(record));
      return r;
    });
    // a start that failed is tried again by the next file, not failed for all of them
    running.catch(() => store.delete(key));
    store.set(key, running);
  }
  return running;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sharedRegistry: string;
  }
}
