/**
 * Fairness: one tenant's closed-loop latency alone, then while another tenant
 * hammers the same Node server from many connections, in a process of its own. `npm run bench:fairness`
 * prints both p50/p99, the attacker's 429 share and whether the p99 bound (at most 2× alone)
 * is MET; test/limits/fairness.test.ts holds the functional part (refusals, the median).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fork } from 'node:child_process';
import { parseEnv } from '../worker/env.js';
import { startNodeServer } from '../worker/node/server.js';

const ADMIN = `fp_${'f'.repeat(43)}`;
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

export interface FairnessFigures {
  alone: { p50: number; p99: number; n: number };
  attacked: { p50: number; p99: number; n: number };
  attacker: { requests: number; limited: number; other: number };
}

export async function measureFairness(o: { samples?: number; intervalMs?: number; attackers?: number; env?: Record<string, string> } = {}): Promise<FairnessFigures> {
  const samples = o.samples ?? 150;
  const dir = await mkdtemp(join(tmpdir(), 'fleetplane-fairness-'));
  const server = await startNodeServer(parseEnv({ PORT: '0', FLEETPLANE_DATA_DIR: dir, FLEETPLANE_ADMIN_TOKEN: ADMIN, ...o.env }));
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const r = await fetch(`${server.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  try {
    const tokens: string[] = [];
    for (const t of ['a', 'b']) {
      await call('PUT', `/v1/tenants/${t}`, ADMIN, { spec: { displayName: t } });
      await call('PUT', `/v1/tenants/${t}/clusters/edge`, ADMIN, { metadata: { labels: { env: 'prod' } }, spec: {} });
      tokens.push((await call('POST', `/v1/tenants/${t}/tokens`, ADMIN, { spec: { role: 'viewer', description: 'fairness' } })).body.token);
    }
    const [attackerToken, victimToken] = tokens as [string, string];
    // the victim is a well-behaved client, within its own limit (20 a second by default): 10 a second
    const victim = async (n: number) => {
      const ms: number[] = [];
      const t0 = performance.now();
      for (let k = 0; k < n; k++) {
        const wait = t0 + k * (o.intervalMs ?? 100) - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const started = performance.now();
        const r = await call('GET', '/v1/tenants/b/clusters', victimToken);
        if (r.status !== 200) throw new Error(`the victim got ${r.status}`);
        ms.push(performance.now() - started);
      }
      return ms;
    };
    await victim(10); // warm-up
    const alone = await victim(samples);
    const attacker = fork(new URL('./fairness-attacker.ts', import.meta.url), [server.url, attackerToken, '/v1/tenants/a/clusters', String(o.attackers ?? 32)], {
      execArgv: ['--import', 'tsx'],
    });
    await new Promise((r) => attacker.once('message', r));
    await new Promise((r) => setTimeout(r, 300)); // the attack is under way before the victim measures
    const attacked = await victim(samples);
    const counts = new Promise<FairnessFigures['attacker']>((r) => attacker.once('message', (m) => r(m as FairnessFigures['attacker'])));
    attacker.send('stop');
    const figures = (xs: number[]) => ({ p50: q(xs, 0.5), p99: q(xs, 0.99), n: xs.length });
    return { alone: figures(alone), attacked: figures(attacked), attacker: await counts };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const f = await measureFairness({ samples: 300 });
  console.log(`tenant b alone:        p50 ${f.alone.p50.toFixed(2)} ms, p99 ${f.alone.p99.toFixed(2)} ms (${f.alone.n} requests)`);
  console.log(`tenant b under attack: p50 ${f.attacked.p50.toFixed(2)} ms, p99 ${f.attacked.p99.toFixed(2)} ms (${f.attacked.n} requests) — p99 ${(f.attacked.p99 / f.alone.p99).toFixed(2)}× alone (target ≤ 2×: ${f.attacked.p99 <= 2 * f.alone.p99 ? 'MET' : 'MISSED'})`);
  console.log(`tenant a: ${f.attacker.requests} requests from 32 connections, ${f.attacker.limited} answered 429 (${((100 * f.attacker.limited) / f.attacker.requests).toFixed(1)}%), ${f.attacker.other} other non-200`);
}
