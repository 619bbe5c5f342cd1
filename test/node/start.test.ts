import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFresh } from '../../bin/fresh-bundle.js';
import { startProcess, stopProcess } from '../support/start-process.js';

const start = startProcess;
const stop = stopProcess;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetplane-start-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm start on the embedded database', () => {
  it('prints where it listens and the admin token once; keeps token and keys across restarts', async () => {
    const first = start({ FLEETPLANE_DATA_DIR: dir });
    const url = await first.listening;
    // what ran is the bundle of the sources as they are (migrations and the render process found from it)
    expect(isFresh(process.cwd(), join(process.cwd(), 'dist/node/main.mjs'))).toBe(true);
    const token = /admin token: (fp_\S+)/.exec(first.out())?.[1];
    expect(token).toMatch(/^fp_[A-Za-z0-9_-]{43}$/);
    expect(first.out().trim().split('\n')).toHaveLength(2);
    const put = await fetch(`${url}/v1/tenants/acme`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ spec: { displayName: 'Acme' } }),
    });
    expect(put.status).toBe(201);
    const jwks1 = await (await fetch(`${url}/.well-known/jwks.json`)).json();
    await stop(first);

    const second = start({ FLEETPLANE_DATA_DIR: dir });
    const url2 = await second.listening;
    expect(second.out()).not.toContain('admin token');
    const got = await fetch(`${url2}/v1/tenants/acme`, { headers: { authorization: `Bearer ${token}` } });
    expect(got.status).toBe(200);
    expect(await (await fetch(`${url2}/.well-known/jwks.json`)).json()).toEqual(jwks1);
    await stop(second);
  }, 60_000);

  it('a bad environment value stops the start with a message naming the variable', async () => {
    const bad = start({ FLEETPLANE_DATA_DIR: dir, FLEETPLANE_PUBLIC_URL: 'ftp:/nope' });
    expect(await bad.exited).toBe(1);
    expect(bad.err()).toContain('FLEETPLANE_PUBLIC_URL');
  }, 30_000);
});
