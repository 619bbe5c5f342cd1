import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateJwk } from '../../worker/auth/signing-keys.js';
import { NodeGatewayPeers } from '../../worker/node/gateway-peers.js';
import { until } from '../connector/support.js';
import { startGatewayStack, startHttpsProcess } from '../gateway/support.js';
import { driverUnderTest } from '../support/database.js';
import { createMigratedDatabase } from '../support/postgres.js';
import { childrenOf, getOnOwnConnection, startProcess, stopProcess } from '../support/start-process.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(driverUnderTest() !== 'pg')('FLEETPLANE_PROCESSES: server processes sharing the port', () => {
  let database: { url: string; drop: () => Promise<void> };
  let dir = '';
  beforeAll(async () => {
    database = await createMigratedDatabase();
    dir = await mkdtemp(join(tmpdir(), 'fleetplane-processes-'));
  });
  afterAll(async () => {
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints once where they all listen and the admin token, replaces those that die on the same port, and stops them all', async () => {
    const p = startProcess({ FLEETPLANE_PROCESSES: '2', DATABASE_URL: database.url, FLEETPLANE_DATA_DIR: join(dir, 'data') });
    const url = await p.listening;
    const lines = p.out().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`listening on ${url} (2 processes)`);
    const token = /^admin token: (fp_\S+)$/.exec(lines[1]!)?.[1];
    expect(token).toBeDefined();
    const primary = p.child.pid!;
    await until('two server processes', () => childrenOf(primary).length === 2, 20_000);
    const first = childrenOf(primary);

    // the token the primary made is the one every process checks (one data dir, read by all)
    const put = await fetch(`${url}/v1/tenants/acme`, {
      method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ spec: { displayName: 'Acme' } }),
    });
    expect(put.status).toBe(201);
    const codes = await Promise.all(Array.from({ length: 8 }, () => getOnOwnConnection(`${url}/v1/tenants/acme`, token!)));
    expect(codes).toEqual(Array(8).fill(200));

    process.kill(first[0]!, 'SIGKILL');
    await until('another process in its place', () => {
      const now = childrenOf(primary);
      return now.length === 2 && !now.includes(first[0]!);
    }, 20_000);
    const allAnswer = async () => (await Promise.all(Array.from({ length: 4 }, () => getOnOwnConnection(`${url}/v1/tenants/acme`, token!)))).every((c) => c === 200);
    await until('both answer again', allAnswer, 20_000);
    expect(p.err()).toContain(`server process ${first[0]} exited with SIGKILL; starting another`);

    // all of them at once: the shared socket closes with the last, and the next ones listen on the same port
    const second = childrenOf(primary);
    for (const pid of second) process.kill(pid, 'SIGKILL');
    await until('two others in their place', () => {
      const now = childrenOf(primary);
      return now.length === 2 && now.every((pid) => !second.includes(pid));
    }, 20_000);
    await until('answered again where it was', allAnswer, 30_000);

    const last = childrenOf(primary);
    await stopProcess(p);
    expect(await p.exited).toBe(0);
    await until('every server process gone', () => last.every((pid) => !alive(pid)), 10_000);
  }, 120_000);

  it('a process that cannot start stops the start (no restart loop), naming why', async () => {
    const p = startProcess({
      FLEETPLANE_PROCESSES: '2', DATABASE_URL: 'postgres://nobody:wrong@127.0.0.1:1/none', FLEETPLANE_DATA_DIR: join(dir, 'bad'),
    });
    expect(await p.exited).toBe(1);
    expect(p.err()).toMatch(/exited with 1 before all listened/);
  }, 60_000);

  it('more than one process on the embedded database is refused, naming the variable', async () => {
    const p = startProcess({ FLEETPLANE_PROCESSES: '2', FLEETPLANE_DATA_DIR: join(dir, 'embedded') });
    expect(await p.exited).toBe(1);
    expect(p.err()).toContain('FLEETPLANE_PROCESSES: more than 1 needs DATABASE_URL');
  }, 30_000);
});

/**
 * The gateway when the processes share one port: the connector's socket is
 * held by one of them, kubectl's connections go to each in turn, and the
 * others forward to the holder at the address only it listens on (the shared
 * one would hand the hop to any process, and a hop is forwarded only once).
 */
describe.skipIf(driverUnderTest() !== 'pg')('the gateway across processes sharing the port', () => {
  let s: Awaited<ReturnType<typeof startGatewayStack>>;
  let database: { url: string; drop: () => Promise<void> };
  let signingKey = '';

  beforeAll(async () => {
    database = await createMigratedDatabase();
    signingKey = JSON.stringify(await generatePrivateJwk());
    s = await startGatewayStack({}, async (o) => {
      const p = startHttpsProcess(o, database.url, { FLEETPLANE_PROCESSES: '2', FLEETPLANE_DATA_DIR: join(o.dir, 'data'), FLEETPLANE_SIGNING_KEY: signingKey });
      return { url: await p.listening, close: () => stopProcess(p) };
    });
    await s.joinCluster('acme', 'edge-1');
    await s.kubeClient.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, true, 'kubectl');
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await database?.drop();
  });

  it('kubectl works whichever process takes its connection; the holder is recorded at its own address', async () => {
    const sql = new pg.Pool({ connectionString: database.url, max: 1 });
    let route: { url: string; epoch: number };
    try {
      [route] = (await sql.query('select url, epoch from gateway_routes')).rows;
    } finally {
      await sql.end();
    }
    const shared = new URL(s.cp.url);
    const own = new URL(route!.url);
    expect(own.hostname).toBe(shared.hostname);
    expect(own.port).not.toBe(shared.port);

    const viewer = await s.token('acme', 'viewer', 'reads');
    const path = '/v1/tenants/acme/clusters/edge-1/proxy/api/v1/namespaces';
    // the holder's own port reaches the holder, and no other: a hop signed for its socket's epoch runs there
    const hop = await new NodeGatewayPeers(undefined as never, signingKey).hop(new Request(`${route!.url}${path}`), Number(route!.epoch));
    const there = await s.call('GET', `${route!.url}${path}`, { token: viewer.token, headers: { 'x-fleetplane-gateway-hop': hop } });
    expect(there.status).toBe(200);
    // each on a connection of its own, without retries (kubectl retries a 503): the processes take them in turn
    const fresh = () => s.call('GET', `${s.cp.url}${path}`, { token: viewer.token, headers: { connection: 'close' } });
    const statuses = await Promise.all(Array.from({ length: 8 }, fresh));
    expect(statuses.map((r) => r.status)).toEqual(Array(8).fill(200));
    for (let i = 0; i < 4; i++) {
      const r = await s.kubectl('acme', 'edge-1', viewer.token, ['get', 'namespaces', '-o', 'name']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('namespace/shop');
    }
  }, 120_000);
});
