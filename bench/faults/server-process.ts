/** Starts bench/faults/server-main.ts as a child process and waits for its URL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { childrenOf } from '../../test/support/start-process.js';

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** CPU seconds (user + system) this process has used so far; null without /proc */
  cpuSec(): number | null;
  kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export const newAdminToken = () => `fp_${randomBytes(32).toString('base64url')}`;

/**
 * With FLEETPLANE_PROCESSES above 1 in `env`, `npm start`'s own entry (node:cluster's primary,
 * which takes in connections and hands them out, and its server processes): its CPU is theirs summed.
 */
export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const processes = Number(env.FLEETPLANE_PROCESSES ?? 1) > 1;
  const args = processes ? ['bin/start.js'] : ['--import', 'tsx', new URL('./server-main.ts', import.meta.url).pathname];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...(processes ? { PORT: '0' } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
    if (process.env.FAULTS_VERBOSE) process.stderr.write(d);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    const limit = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`server did not start in 60 s: ${err}`)); }, 60_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      const listening = /listening on (http\S+)/.exec(out)?.[1];
      if (!line && !listening) return;
      clearTimeout(limit);
      const pid = child.pid!;
      resolve({
        url: listening ?? (JSON.parse(line!) as { url: string }).url,
        pid,
        child,
        cpuSec: () => {
          try {
            return [pid, ...childrenOf(pid)].reduce((sum, p) => {
              const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
              return sum + (Number(f[11]) + Number(f[12])) / 100;
            }, 0);
          } catch {
            return null;
          }
        },
        kill: async (signal) => {
          // a killed primary's server processes would go on serving what they hold
          for (const p of childrenOf(pid)) process.kill(p, signal);
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
    child.once('exit', (code) => { clearTimeout(limit); reject(new Error(`server exited (${code}) before listening: ${err}`)); });
  });
}
