import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '../../worker/env.js';
import { startNodeServer } from '../../worker/node/server.js';

export const ADMIN = `fp_${'c'.repeat(43)}`;

export interface Run { code: number | null; stdout: string; stderr: string }

/**
 * Runs `fleetplane` as a user would: the package's bin (the launcher that runs
 * the TypeScript entry through tsx) in a child process, with its own config directory.
 */
export function fleetplane(args: string[], env: Record<string, string | undefined> = {}, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/fleetplane.js', ...args], {
      env: { ...process.env, FLEETPLANE_URL: undefined, FLEETPLANE_TOKEN: undefined, FLEETPLANE_TENANT: undefined, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** A real Node server (embedded database) with one tenant, and the environment that points the CLI at it. */
export async function startServer(tenant = 'acme') {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-cli-'));
  // the suites read back through `api` as the same caller as the CLI: the per-caller limit would make them wait (test/cli/retry.test.ts covers 429)
  const server = await startNodeServer(parseEnv({ PORT: '0', FLEETPLANE_DATA_DIR: join(dir, 'data'), FLEETPLANE_ADMIN_TOKEN: ADMIN, FLEETPLANE_RATE_LIMIT: '0' }));
  const api = async (method: string, path: string, body?: unknown, token = ADMIN) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const created = await api('PUT', `/v1/tenants/${tenant}`, { spec: { displayName: tenant } });
  if (created.status !== 201) throw new Error(`tenant: ${created.status}`);
  const env = { FLEETPLANE_URL: server.url, FLEETPLANE_TOKEN: ADMIN, FLEETPLANE_TENANT: tenant, XDG_CONFIG_HOME: join(dir, 'config') };
  return {
    url: server.url,
    dir,
    env,
    api,
    run: (args: string[], extra: Record<string, string | undefined> = {}) => fleetplane(args, { ...env, ...extra }),
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type Server = Awaited<ReturnType<typeof startServer>>;

/** `kind/name verb` lines of an apply, in order. */
export const lines = (text: string) => text.split('\n').filter(Boolean);
