import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { childScript } from './child-source.js';

/** Renders yield the CPU to the server's own thread: a heartbeat waits for no template. */
const RENDER_NICE = 10;

/** A render process with an old-generation heap of `heapMb`, started and at a lower priority. */
export async function startRenderProcess(heapMb: number): Promise<ChildProcess> {
  const script = await childScript();
  return new Promise<ChildProcess>((resolve, reject) => {
    const child = fork(script, [], {
      execArgv: [`--max-old-space-size=${heapMb}`, '--max-semi-space-size=16'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    child.once('error', reject);
    child.once('spawn', () => {
      child.off('error', reject);
      try {
        setPriority(child.pid!, RENDER_NICE);
      } catch {
        // not permitted here: renders share the CPU evenly
      }
      resolve(child);
    });
  });
}

/** An idle render process keeps no server alive at shutdown; a busy one keeps its caller's await alive. */
export function setRef(child: ChildProcess, ref: boolean) {
  const channel = child.channel as { ref?: () => void; unref?: () => void } | null | undefined;
  if (ref) {
    child.ref();
    channel?.ref?.();
  } else {
    child.unref();
    channel?.unref?.();
  }
}
