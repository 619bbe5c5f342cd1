import { spawn, type ChildProcess } from 'node:child_process';

/** Runs `npm start`'s entry as a user would (PORT=0), and reads what it prints. */
export function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/node/main.ts'], {
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
