/**
 * The idle path: a connector asking for its desired state with the revision it
 * already holds (`If-None-Match` → 304), each request as another cluster,
 * against the bare Hono route, rounds alternating as in the tenant bench.
 */
import { compare, type Comparison, type Settings } from './compare.js';
import type { Fleet } from './fleet-seed.js';

export async function measureIdle(
  bareUrl: string, url: string, fleet: Fleet, revisions: Map<string, number>, s: Settings, progress: (line: string) => void,
): Promise<Comparison> {
  const rotate = fleet.clusters.map((c) => ({
    authorization: `Bearer ${c.credential}`,
    'if-none-match': `"${revisions.get(c.uid) ?? c.revision}"`,
  }));
  const path = '/v1/connector/desired-state';
  const probe = await fetch(`${url}${path}`, { headers: rotate[0]! });
  if (probe.status !== 304) throw new Error(`GET ${path} with If-None-Match: expected 304, got ${probe.status}: ${await probe.text()}`);
  return compare(
    {
      bare: { url: `${bareUrl}/bare`, headers: {} },
      fleetplane: { url: `${url}${path}`, headers: {}, rotate, expect: 304 },
    },
    s,
    progress,
  );
}
