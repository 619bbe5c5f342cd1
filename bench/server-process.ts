/**
 * A Fleetplane server in a process of its own, started by spawnFleetplane
 * (bench/servers.ts): the bench's load generators and bookkeeping then share
 * no event loop, heap or garbage collector with the server they measure.
 * It is told what to start in its first IPC message, answers with its URL and
 * admin token, and closes the server on the next message or when the parent goes.
 */
import { startFleetplane, type RunningFleetplane } from './servers.js';

export interface StartMessage { databaseUrl?: string; env: Record<string, string> }
export type StartedMessage = { url: string; adminToken: string } | { error: string };

let running: RunningFleetplane | undefined;

async function stop() {
  await running?.close();
  process.exit(0);
}

process.once('message', async (m: StartMessage) => {
  try {
    running = await startFleetplane(m.databaseUrl, m.env);
    process.send!({ url: running.url, adminToken: running.adminToken } satisfies StartedMessage);
  } catch (err) {
    process.send!({ error: String((err as Error)?.stack ?? err) } satisfies StartedMessage, () => process.exit(1));
    return;
  }
  process.once('message', () => void stop());
});
process.once('disconnect', () => void stop());
