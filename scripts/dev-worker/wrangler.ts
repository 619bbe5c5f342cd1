import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

export interface Workerd {
  /** where it listens, once it says so */
  ready: Promise<string>;
  child: ChildProcess;
  stop(): Promise<void>;
}

const READY = /Ready on (https?:\/\/\S+)/;

/**
 * `wrangler dev --local` as a child in its own process group (so stopping it
 * stops the workerd it starts), resolved once it says where it listens. Its
 * output goes to our stderr: stdout keeps the two lines `npm start` prints.
 */
export function startWrangler(o: { host: string; port: number; envFile: string; stateDir: string }): Workerd {
  // the package exports no bin path: found next to its package.json, run by this Node (22; the system's may be older)
  const bin = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin', 'wrangler.js');
  const args = [
    bin, 'dev', '--local', '--ip', o.host, '--port', String(o.port), '--env-file', o.envFile,
    // the devtools port: 0 lets the OS choose, where wrangler's own pick (9229, else a free one) races with a second dev:worker
    '--inspector-port', '0',
    '--persist-to', o.stateDir, '--test-scheduled', '--show-interactive-dev-session=false',
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', ...colourless() },
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5_000);
    await exited;
    clearTimeout(timer);
  };
  const ready = new Promise<string>((resolve, reject) => {
    let ready = false;
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        process.stderr.write(`${line}\n`);
        const m = !ready && READY.exec(line);
        if (m) {
          ready = true;
          resolve(m[1]!.replace('://localhost:', `://${o.host}:`));
        }
      });
    }
    child.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`wrangler dev exited before it was ready (${signal ?? `exit code ${code}`})`));
    });
  });
  return { ready, child, stop };
}

/** wrangler colours its output when it thinks it writes to a terminal; ours goes through a pipe. */
const colourless = () => (process.env.FORCE_COLOR ? {} : { NO_COLOR: '1' });
