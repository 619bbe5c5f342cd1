import { describe, expect, it } from 'vitest';
import { backoffDelay, jittered, retryAfterMs, retryDelay } from '../../connectors/backoff.js';
import { ConfigError, parseConfig } from '../../connectors/config.js';
import { Reporter, type StatusReport } from '../../connectors/reporter.js';

describe('backoff, jitter, Retry-After', () => {
  it('doubles from the base, stays within [ceiling/2, ceiling], and is capped', () => {
    const o = { baseMs: 1000, capMs: 60_000 };
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, o, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, o, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, o, () => 1)).toBe(60_000);
    expect(backoffDelay(1000, o, () => 0)).toBe(30_000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, o);
      expect(d).toBeGreaterThanOrEqual(8000);
      expect(d).toBeLessThanOrEqual(16_000);
    }
  });
  it('spreads: 100 connectors retrying at once do not come back in the same second', () => {
    const delays = new Set(Array.from({ length: 100 }, () => Math.floor(backoffDelay(5) / 1000)));
    expect(delays.size).toBeGreaterThan(5);
  });
  it('reads Retry-After as seconds or an HTTP date, and never retries sooner than it says', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Wed, 25 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryDelay(0, 10_000, undefined, () => 0)).toBe(10_000);
    expect(retryDelay(0, 10_000, undefined, () => 1)).toBeLessThanOrEqual(11_100);
    expect(retryDelay(3, undefined, { baseMs: 1000, capMs: 60_000 }, () => 1)).toBe(8000);
  });
  it('heartbeat intervals are spread by ±10 %', () => {
    expect(jittered(10_000, 0.1, () => 0)).toBe(9000);
    expect(jittered(10_000, 0.1, () => 1)).toBe(11_000);
  });
});

describe('configuration from the environment', () => {
  it('defaults the namespace, Secret name, health port, re-apply period and the gateway token file', () => {
    expect(parseConfig({ FLEETPLANE_URL: 'https://fp.example/', FLEETPLANE_JOIN_TOKEN: 'jt' })).toEqual({
      url: 'https://fp.example', joinToken: 'jt', namespace: 'fleetplane-system', secretName: 'fleetplane-connector',
      kubeconfig: undefined, healthPort: 8080, resyncSeconds: 300, gatewayTokenFile: '/var/run/secrets/fleetplane.io/gateway/token',
    });
  });
  it('names every bad or missing variable', () => {
    const err = (() => {
      try {
        parseConfig({ FLEETPLANE_URL: 'ftp://x', FLEETPLANE_HEALTH_PORT: 'eighty', FLEETPLANE_NAMESPACE: 'Not_Valid' });
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/FLEETPLANE_URL: must be an http\(s\) URL/);
    expect(err.message).toMatch(/FLEETPLANE_HEALTH_PORT: must be a number/);
    expect(err.message).toMatch(/FLEETPLANE_NAMESPACE: must be a DNS-1123 label/);
    expect(() => parseConfig({})).toThrow(/FLEETPLANE_URL: is required/);
  });
});

describe('status reports', () => {
  it('debounces changes into one report with a rising seq; unchanged state sends nothing', async () => {
    const sent: StatusReport[] = [];
    let clock = 1_000;
    const r = new Reporter(async (x) => void sent.push(x), 20, () => clock);
    const res = (health: 'Healthy' | 'Progressing') => [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', health }];
    r.setRevision(3);
    r.setOwner('App', 'shop', 3, res('Progressing'));
    r.updateResource({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, { health: 'Healthy' });
    await new Promise((ok) => setTimeout(ok, 60));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ seq: 1000, revision: 3, apps: [{ kind: 'App', name: 'shop', revision: 3, resources: [{ health: 'Healthy' }] }] });
    r.setOwner('App', 'shop', 3, res('Healthy'));
    await new Promise((ok) => setTimeout(ok, 60));
    expect(sent).toHaveLength(1);
    clock = 500; // a clock going backwards still gives a higher seq
    r.removeOwner('App', 'shop');
    await new Promise((ok) => setTimeout(ok, 60));
    expect(sent).toHaveLength(2);
    expect(sent[1]!.seq).toBe(1001);
    expect(sent[1]!.apps).toEqual([]);
    r.stop();
  });
  it('after a sync where every owner has settled the report goes out at once, not after the debounce', async () => {
    const sent: StatusReport[] = [];
    const r = new Reporter(async (x) => void sent.push(x), 10_000);
    r.setRevision(4);
    r.setOwner('App', 'shop', 4, []);
    await new Promise((ok) => setTimeout(ok, 50));
    expect(sent).toHaveLength(0); // still inside the debounce
    r.synced();
    await new Promise((ok) => setTimeout(ok, 50));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ revision: 4, apps: [{ name: 'shop', revision: 4 }] });
    r.synced(); // nothing changed since: nothing to send
    await new Promise((ok) => setTimeout(ok, 50));
    expect(sent).toHaveLength(1);
    // an owner still on its way: its watch events, or the debounce, send it
    r.setOwner('App', 'cart', 4, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart', health: 'Progressing' }]);
    r.synced();
    await new Promise((ok) => setTimeout(ok, 50));
    expect(sent).toHaveLength(1);
    r.stop();
  });

  it('a report the control plane did not take is sent again', async () => {
    let fail = true;
    const sent: StatusReport[] = [];
    const r = new Reporter(async (x) => {
      if (fail) {
        fail = false;
        throw new Error('unreachable');
      }
      sent.push(x);
    }, 10);
    r.setOwner('App', 'shop', 1, []);
    await new Promise((ok) => setTimeout(ok, 1500));
    expect(sent).toHaveLength(1);
    r.stop();
  });
});
