/**
 * BENCH_ONLY=webhooks (also part of `all`): signed webhook deliveries per
 * second from the outbox to a local receiver. BENCH_WEBHOOK_EVENTS events
 * (default 5,000) are recorded with the server's own `recordEvents` (which
 * writes one outbox row per event and webhook) while no server runs, spread
 * over BENCH_WEBHOOK_TENANTS tenants (default 4), each with one webhook; then
 * the Node server starts on Postgres and sends them. Measured from its start
 * to the receiver's last request; each delivery is verified by signature
 * count only (the tests verify signatures).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { openNodePostgres } from '../db/node-postgres.js';
import { createMigratedDatabase } from '../test/support/postgres.js';
import { recordEvents, type EventEntry } from '../worker/domain/events.js';
import { call, expectStatus } from './fixtures.js';
import { table } from './report.js';
import { HOST, startFleetplane } from './servers.js';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};

/** A receiver that answers 204 at once and notes when each webhook-id arrived (a repeat is counted apart). */
async function receiver() {
  const seen = new Set<string>();
  let repeats = 0;
  let last = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      if (seen.has(id)) repeats++;
      seen.add(id);
      last = performance.now();
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  const url = `http://${HOST}:${(server.address() as AddressInfo).port}/hook`;
  return { url, seen, repeats: () => repeats, last: () => last, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export async function webhooksPart(only: string) {
  if (only !== 'webhooks' && only !== 'all') return;
  const events = int('BENCH_WEBHOOK_EVENTS', 5_000);
  const tenants = int('BENCH_WEBHOOK_TENANTS', 4);
  console.error(`webhooks: ${events} deliveries over ${tenants} tenants to a local receiver, on ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`);
  const database = await createMigratedDatabase();
  const sink = await receiver();
  const env = { FLEETPLANE_WEBHOOK_ALLOW_PRIVATE: 'true' };
  try {
    const uids: string[] = [];
    const setup = await startFleetplane(database.url, env);
    try {
      for (let i = 0; i < tenants; i++) {
        const t = JSON.parse(await expectStatus(201, 'PUT tenant', call(setup.url, 'PUT', `/v1/tenants/hooks-${i}`, setup.adminToken, { spec: { displayName: 'Webhooks' } })));
        uids.push(t.metadata.uid);
        await expectStatus(201, 'PUT webhook', call(setup.url, 'PUT', `/v1/tenants/hooks-${i}/webhooks/sink`, setup.adminToken, { spec: { url: sink.url, events: [] } }));
      }
    } finally {
      await setup.close();
    }
    const { db, pool } = openNodePostgres(database.url, 2);
    try {
      const at = new Date();
      const entries: EventEntry[] = Array.from({ length: events }, (_, i) => ({
        tenantId: uids[i % tenants]!, kind: 'Cluster', name: `c-${i}`, uid: randomUUID(), reason: 'ClusterPhaseChanged', from: 'Ready', to: 'Unknown', at,
      }));
      for (let i = 0; i < entries.length; i += 500) await recordEvents(db, entries.slice(i, i + 500));
    } finally {
      await pool.end();
    }
    const started = performance.now();
    const sender = await startFleetplane(database.url, env);
    try {
      const deadline = Date.now() + 300_000;
      while (sink.seen.size < events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const seconds = (sink.last() - started) / 1000;
      console.log(`## Webhook deliveries to a local receiver (${events} events, ${tenants} tenants, Postgres)\n`);
      console.log(table(['delivered', 'repeated ids', 'seconds from server start', 'deliveries/s'], [
        [String(sink.seen.size), String(sink.repeats()), seconds.toFixed(2), (sink.seen.size / seconds).toFixed(0)],
      ]));
      console.log('');
      if (sink.seen.size < events) throw new Error(`webhooks: only ${sink.seen.size} of ${events} delivered within 300 s`);
    } finally {
      await sender.close();
    }
  } finally {
    await sink.close();
    await database.drop();
  }
  if (only === 'webhooks') process.exit(0);
}
