/**
 * Holds one long poll per credential given (GET /v1/connector/watch at the
 * revision given, for 30 s), in a worker thread of bench/watch-memory.ts, so
 * that the client's sockets live in another heap than the server's. Posts
 * 'written' once every request is sent; answers 'count' with how many returned.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface HolderData {
  url: string;
  watches: { credential: string; revision: number }[];
}

const { url, watches } = workerData as HolderData;
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
let written = 0;
let returned = 0;
for (const w of watches) {
  const r = http.get(`${url}/v1/connector/watch?revision=${w.revision}&timeoutSeconds=30`, { agent, headers: { authorization: `Bearer ${w.credential}` } }, (res) => {
    res.resume();
    res.on('end', () => returned++);
  });
  r.on('error', (e) => parentPort!.postMessage(`error: ${e.message}`));
  r.on('finish', () => ++written === watches.length && parentPort!.postMessage('written'));
}
parentPort!.on('message', () => parentPort!.postMessage(returned));
