/**
 * Fairness on the Node server with its default limits: a tenant hammering
 * the API from 32 connections in another process does not move another
 * tenant's p99 by more than 2× (API.md "Limits"; issue: "a tenant hammering
 * the API does not move another tenant's p99 by more than 2×").
 */
import { describe, expect, it } from 'vitest';
import { measureFairness } from '../../bench/fairness.js';

describe('fairness between tenants', () => {
  it('another tenant hammering: this tenant p99 at most 2× its p99 alone, the attacker mostly refused', async () => {
    const f = await measureFairness({ samples: 120, intervalMs: 66 });
    console.log(`fairness: alone p50 ${f.alone.p50.toFixed(1)} / p99 ${f.alone.p99.toFixed(1)} ms; attacked p50 ${f.attacked.p50.toFixed(1)} / p99 ${f.attacked.p99.toFixed(1)} ms; attacker ${f.attacker.requests} requests, ${f.attacker.limited} 429`);
    expect(f.attacker.other).toBe(0);
    expect(f.attacker.limited).toBeGreaterThan(0);
    expect(f.attacked.p99).toBeLessThanOrEqual(2 * f.alone.p99);
  }, 60_000);
});
