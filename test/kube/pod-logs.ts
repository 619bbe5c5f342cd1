import type { ServerResponse } from 'node:http';
import { badRequest, KubeError } from './errors.js';

interface Line { at: Date; text: string }

/**
 * What the kubelet would hold of each container's output, for `pods/{name}/log`:
 * tests append lines (`logs.append`), the server answers with the kubelet's
 * parameters (`container`, `tailLines`, `sinceSeconds`, `timestamps`,
 * `follow`). Plain text, one line each; a follow stays open and gets new lines.
 */
export class PodLogs {
  private readonly lines = new Map<string, Line[]>();
  private readonly followers = new Map<string, Set<(l: Line) => void>>();

  append(namespace: string, pod: string, container: string, text: string, at = new Date()) {
    const key = `${namespace}/${pod}/${container}`;
    const line = { at, text };
    (this.lines.get(key) ?? this.lines.set(key, []).get(key)!).push(line);
    for (const f of this.followers.get(key) ?? []) f(line);
  }

  /** Serves one log request for a pod that exists, with its containers' names. */
  serve(pod: { metadata: { namespace: string; name: string }; spec?: { containers?: { name: string }[] } }, q: URLSearchParams, res: ServerResponse) {
    const containers = (pod.spec?.containers ?? []).map((c) => c.name);
    const container = q.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
    if (!container) {
      throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]`);
    }
    if (!containers.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
    const key = `${pod.metadata.namespace}/${pod.metadata.name}/${container}`;
    const since = q.has('sinceSeconds') ? Date.now() - Number(q.get('sinceSeconds')) * 1000 : -Infinity;
    let lines = (this.lines.get(key) ?? []).filter((l) => l.at.getTime() >= since);
    if (q.has('tailLines')) {
      const n = Number(q.get('tailLines'));
      if (!Number.isInteger(n) || n < 0) throw new KubeError(400, 'BadRequest', 'tailLines must be a non-negative integer');
      lines = n === 0 ? [] : lines.slice(-n);
    }
    const stamp = q.get('timestamps') === 'true';
    const format = (l: Line) => `${stamp ? `${l.at.toISOString()} ` : ''}${l.text}\n`;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    for (const l of lines) res.write(format(l));
    if (q.get('follow') !== 'true') return void res.end();
    res.flushHeaders();
    const followers = this.followers.get(key) ?? this.followers.set(key, new Set()).get(key)!;
    const follow = (l: Line) => res.write(format(l));
    followers.add(follow);
    res.on('close', () => followers.delete(follow));
  }
}
