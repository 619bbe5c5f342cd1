import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stopProcessGroup } from './dev-worker.js';
import { dropDatabase } from './postgres.js';

/** What a test process keeps running for its files: a command's process group, its data directory and database. */
export interface SharedProcess {
  pid: number;
  dataDir: string;
  databaseUrl: string;
}

/** The global teardown's half of sharedPerProcess: each recorded process group stopped, what it kept removed. */
export async function stopSharedProcesses(dir: string): Promise<void> {
  const records = await Promise.all((await readdir(dir)).map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as SharedProcess));
  await Promise.all(records.map(async ({ pid, dataDir, databaseUrl }) => {
    await stopProcessGroup(pid);
    await rm(dataDir, { recursive: true, force: true });
    await dropDatabase(new URL(databaseUrl).pathname.slice(1));
  }));
  await rm(dir, { recursive: true, force: true });
}
