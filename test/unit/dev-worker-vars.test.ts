import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devWorkerVars, envFile } from '../../scripts/dev-worker/vars.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetplane-vars-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('dev:worker variables', () => {
  it('.dev.vars gives defaults, the control plane’s variables in the environment win, nothing else of the environment passes', async () => {
    const file = join(dir, '.dev.vars');
    await writeFile(file, 'DATABASE_URL=postgres://a/b\nFLEETPLANE_RATE_LIMIT=7\nCUSTOM=kept\n');
    const vars = devWorkerVars({ FLEETPLANE_RATE_LIMIT: '3', PATH: '/usr/bin', HOME: '/root' }, file);
    expect(vars).toEqual({ DATABASE_URL: 'postgres://a/b', FLEETPLANE_RATE_LIMIT: '3', CUSTOM: 'kept' });
    expect(devWorkerVars({ DATABASE_URL: 'postgres://c/d' }, '')).toEqual({ DATABASE_URL: 'postgres://c/d' });
    expect(devWorkerVars({ FLEETPLANE_WEBHOOK_ALLOW_PRIVATE: 'true' }, '')).toEqual({ FLEETPLANE_WEBHOOK_ALLOW_PRIVATE: 'true' });
    // Node's own processes mean nothing to workerd
    expect(devWorkerVars({ FLEETPLANE_PROCESSES: '2', DATABASE_URL: 'postgres://c/d' }, '')).toEqual({ DATABASE_URL: 'postgres://c/d' });
  });

  it('writes values literally (a JSON key set survives), and refuses what one line cannot hold', () => {
    const key = '{"keys":[{"kty":"EC","d":"x$y"}]}';
    expect(parseEnv(envFile({ FLEETPLANE_SIGNING_KEY: key, A: 'b c' }))).toEqual({ FLEETPLANE_SIGNING_KEY: key, A: 'b c' });
    expect(() => envFile({ A: "it's" })).toThrow(/A: a value for dev:worker must be one line/);
    expect(() => envFile({ A: 'a\nb' })).toThrow(/A:/);
  });
});
