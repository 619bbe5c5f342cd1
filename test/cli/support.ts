import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '../../worker/env.js';
import { startNodeServer } from '../../worker/node/server.js';
import { driverUnderTest } from '../support/database.js';
import { startDevWorker } from '../support/dev-worker.js';
import { createMigratedDatabase } from '../support/postgres.js';

export const ADMIN = `fp_${'c'.repeat(43)}`;

export interface Run { code: number | null; stdout: string; stderr: string }

/**
 * Runs `fleetplane` as a user would: the package's bin (the launcher that runs
 * the CLI from its bundle in dist/, built when stale) in a child process, with its own config directory.
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

/** `fleetplane ARGS` left running (watch, follow), with its output so far and a wait for a text to show. */
export function background(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['bin/fleetplane.js', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const until = async (text: string | RegExp, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    const seen = () => (typeof text === 'string' ? stdout.includes(text) : text.test(stdout));
    while (!seen() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!seen()) throw new Error(`waited for ${String(text)}; stdout:\n${stdout}\nstderr:\n${stderr}`);
  };
  return { child, exited, until, out: () => stdout, err: () => stderr };
}

/**
 * The server the CLI talks to: Node on the embedded database, or (FP_TEST_DB=devworker)
 * `npm run dev:worker` on a fresh database of the machine's Postgres.
 */
async function startBackend(env: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  if (driverUnderTest() !== 'devworker') return startNodeServer(parseEnv(env));
  const database = await createMigratedDatabase();
  const worker = await startDevWorker({ ...env, DATABASE_URL: database.url }).catch(async (err) => {
    await database.drop();
    throw err;
  });
  return { url: worker.url, close: async () => { await worker.stop(); await database.drop(); } };
}

/** A real server with one tenant, and the environment that points the CLI at it. */
export async function startServer(tenant = 'acme') {
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-cli-'));
  // the suites read back through `api` as the same caller as the CLI: the per-caller limit would make them wait (test/cli/retry.test.ts covers 429)
  const server = await startBackend({ PORT: '0', FLEETPLANE_DATA_DIR: join(dir, 'data'), FLEETPLANE_ADMIN_TOKEN: ADMIN, FLEETPLANE_RATE_LIMIT: '0' });
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
