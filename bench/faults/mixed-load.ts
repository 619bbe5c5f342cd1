/**
 * The load a fault lands in: `concurrency` loops of cluster PUTs, app PUTs,
 * cluster reads and connector heartbeats in turn, every answer recorded, and
 * every acknowledged write remembered so that it can be read back afterwards.
 */
import { HEARTBEAT_BODY } from '../heartbeats.js';
import { appSpec, TENANT } from './fixtures.js';
import { timed, type Answer } from './record.js';

export interface MixedLoad {
  answers: Answer[];
  /** writes answered 2xx so far */
  acknowledged(): number;
  /** ends the loops once their requests in flight are answered */
  stop(): Promise<void>;
  /** acknowledged writes that do not read back as written */
  lost(): Promise<number>;
}

export function startMixedLoad(
  url: string, adminToken: string, clusters: { name: string; credential: string }[], clock: () => number, concurrency = 6,
): MixedLoad {
  const base = `${url}/v1/tenants/${TENANT}`;
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const answers: Answer[] = [];
  const acked: { kind: 'cluster' | 'app'; name: string; value: string }[] = [];
  let stopped = false;
  let n = 0;

  const write = async (kind: 'cluster' | 'app', name: string, value: string, body: unknown) => {
    const r = await timed(clock, 'write', `${base}/${kind === 'cluster' ? 'clusters' : 'apps'}/${name}`, { method: 'PUT', headers: admin, body: JSON.stringify(body) });
    answers.push(r.answer);
    if (r.answer.status >= 200 && r.answer.status < 300) acked.push({ kind, name, value });
  };
  const one = async (i: number) => {
    const value = `v${i}-${Math.random().toString(36).slice(2, 8)}`;
    const c = clusters[i % clusters.length]!;
    switch (i % 4) {
      case 0: return write('cluster', `w-${i}`, value, { spec: { description: value } });
      case 1: return write('app', `a-${i}`, value, { spec: appSpec(value, { none: 'x' }) });
      case 2:
        answers.push((await timed(clock, 'read', `${base}/clusters/${c.name}`, { headers: admin })).answer);
        return;
      default:
        answers.push((await timed(clock, 'heartbeat', `${url}/v1/connector/heartbeat`, {
          method: 'POST', headers: { authorization: `Bearer ${c.credential}`, 'content-type': 'application/json' }, body: HEARTBEAT_BODY,
        })).answer);
    }
  };
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stopped) await one(n++);
  });

  return {
    answers,
    acknowledged: () => acked.length,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
    lost: async () => {
      let lost = 0;
      for (const w of acked) {
        const r = await timed(clock, 'readback', `${base}/${w.kind === 'cluster' ? 'clusters' : 'apps'}/${w.name}`, { headers: admin });
        const body = r.text ? (JSON.parse(r.text) as { spec?: { description?: string; values?: { greeting?: string } } }) : {};
        const got = w.kind === 'cluster' ? body.spec?.description : body.spec?.values?.greeting;
        if (r.answer.status !== 200 || got !== w.value) lost++;
      }
      return lost;
    },
  };
}
