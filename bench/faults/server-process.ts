/** Starts bench/faults/server-main.ts as a child process and waits for its URL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** CPU seconds (user + system) this process has used so far; null without /proc */
  cpuSec(): number | null;
  kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export const newAdminToken = () => `fp_${randomBytes(32).toString('base64url')}`;

export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./server-main.ts', import.meta.url).pathname], {
    env: { ...process.env, ...env },
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
      if (!line) return;
      clearTimeout(limit);
      const pid = child.pid!;
      resolve({
        url: (JSON.parse(line) as { url: string }).url,
        pid,
        child,
        cpuSec: () => {
          try {
            const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
            return (Number(f[11]) + Number(f[12])) / 100;
          } catch {
            return null;
          }
        },
        kill: async (signal) => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
    child.once('exit', (code) => { clearTimeout(limit); reject(new Error(`server exited (${code}) before listening: ${err}`)); });
  });
}
