import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';

/** Runs what `npm start` runs (bin/start.js, PORT=0), as a user would, and reads what it prints. */
export function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/start.js'], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening on (https?:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(timer);
        setTimeout(() => resolve(m[1]!), 100); // let the admin-token line arrive too
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited ${code}: ${err}`));
    });
  });
  listening.catch(() => {}); // a start expected to fail is judged by its exit code
  return { child, listening, exited, out: () => out, err: () => err };
}

export const stopProcess = async (p: { child: ChildProcess; exited: Promise<unknown> }) => {
  p.child.kill('SIGTERM');
  await p.exited;
};

/** The server processes whose parent is `pid` (Linux /proc; not an esbuild service beside them). */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const server = readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('bin/start.js');
      return server && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(d)] : [];
    } catch {
      return []; // ended while listed
    }
  });
}

/**
 * A GET on a connection of its own, so that node:cluster's primary hands each
 * to the next server process in turn: its status, 0 when the connection failed
 * or no answer came within `timeoutMs`.
 */
export const getOnOwnConnection = (url: string, token: string, timeoutMs = 10_000) => new Promise<number>((resolve) => {
  const req = request(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode!));
  });
  req.setTimeout(timeoutMs, () => req.destroy());
  req.on('error', () => resolve(0));
  req.end();
});
