import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface DevWorker {
  url: string;
  /** the command's process group, and the data directory it uses */
  pid: number;
  dataDir: string;
  /** set when the command generated the admin token */
  adminToken: string | undefined;
  /** what it wrote to stderr (wrangler's log) */
  log: () => string;
  /** stops reading its output, as a terminal or parent that went away */
  closeOutput(): void;
  stop(): Promise<void>;
}

/**
 * `npm run dev:worker`, exactly as a user runs it, with the given environment
 * (PORT 0 unless set: any free port) and a data directory of its own unless
 * FLEETPLANE_DATA_DIR names one (kept when it stops); resolves once it printed
 * where it listens (and the admin token line, when it prints one).
 */
export async function startDevWorker(env: Record<string, string | undefined>): Promise<DevWorker> {
  const given = env.FLEETPLANE_DATA_DIR;
  const dataDir = given ?? await mkdtemp(join(tmpdir(), 'fleetplane-dev-worker-'));
  const child = spawn('npm', ['run', '-s', 'dev:worker'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // a developer's .dev.vars stays out of it
    env: { ...process.env, PORT: '0', FLEETPLANE_DATA_DIR: dataDir, FLEETPLANE_DEV_VARS: '', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  // done when the command's whole process group is gone: npm exits first, the command after stopping wrangler and its pipe
  const stop = async () => {
    await stopProcessGroup(child.pid!);
    if (!given) await rm(dataDir, { recursive: true, force: true });
  };
  const lines = createInterface({ input: child.stdout });
  const started = new Promise<{ url: string; adminToken: string | undefined }>((resolve, reject) => {
    let url: string | undefined;
    // the token line, when there is one, follows the URL line at once
    const settle = (adminToken?: string) => resolve({ url: url!, adminToken });
    let timer: ReturnType<typeof setTimeout> | undefined;
    lines.on('line', (line) => {
      const listening = /^listening on (\S+)$/.exec(line);
      const token = /^admin token: (\S+)$/.exec(line);
      if (listening) {
        url = listening[1];
        timer = setTimeout(settle, 100);
      } else if (token && url) {
        clearTimeout(timer);
        settle(token[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`npm run dev:worker exited (${code}) before listening:\n${stderr.slice(-4000)}`)));
  });
  try {
    const { url, adminToken } = await started;
    const closeOutput = () => {
      child.stdout.destroy();
      child.stderr.destroy();
    };
    return { url, pid: child.pid!, dataDir, adminToken, log: () => stderr, closeOutput, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM to a process group, SIGKILL if it is still there 10 s later; resolves once it is gone. */
export async function stopProcessGroup(pid: number): Promise<void> {
  if (groupAlive(pid)) process.kill(-pid, 'SIGTERM');
  for (let i = 0; i < 200 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
}
