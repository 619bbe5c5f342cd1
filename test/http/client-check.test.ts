import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const check = (file: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/client-schema.ts', '--check', '--file', file], { encoding: 'utf8' });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetplane-client-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the generated client cannot drift from the server', () => {
  it('the checked-in schema passes; one missing an operation, or absent, fails and says how to fix it', async () => {
    const same = join(dir, 'same.d.ts');
    await copyFile('client/schema.d.ts', same);
    const ok = check(same);
    expect(ok.status, ok.stderr).toBe(0);

    const stale = join(dir, 'stale.d.ts');
    const text = await readFile('client/schema.d.ts', 'utf8');
    expect(text).toContain('listClusters: {');
    await writeFile(stale, text.replace('listClusters: {', 'listClustersOld: {'));
    const drift = check(stale);
    expect(drift.status).toBe(1);
    expect(drift.stderr).toContain('npm run client:generate');

    expect(check(join(dir, 'absent.d.ts')).status).toBe(1);
  });
});
