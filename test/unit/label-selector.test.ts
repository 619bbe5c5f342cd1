import { describe, expect, it } from 'vitest';
import { matches, parseLabelSelector } from '../../worker/lib/label-selector.js';

describe('label selector', () => {
  it('parses equality and set-based requirements', () => {
    expect(parseLabelSelector('env=prod, tier in (web, api),!legacy,zone,app!=x,region notin (eu)')).toEqual([
      { key: 'env', op: 'in', values: ['prod'] },
      { key: 'tier', op: 'in', values: ['web', 'api'] },
      { key: 'legacy', op: 'notexists' },
      { key: 'zone', op: 'exists' },
      { key: 'app', op: 'notin', values: ['x'] },
      { key: 'region', op: 'notin', values: ['eu'] },
    ]);
    expect(parseLabelSelector('example.com/team==core')).toEqual([{ key: 'example.com/team', op: 'in', values: ['core'] }]);
    expect(parseLabelSelector('')).toEqual([]);
  });

  it.each(['env in ()', 'env in (a', '=x', 'a==b==c', 'env,,x', 'bad key=x', 'k=in valid', '-k=v'])('rejects %j', (s) => {
    expect(() => parseLabelSelector(s)).toThrow();
  });

  it('matches as Kubernetes does: != and notin also match objects without the key', () => {
    const labels = { env: 'prod', tier: 'web' };
    expect(matches(parseLabelSelector('env=prod,tier in (web,api)'), labels)).toBe(true);
    expect(matches(parseLabelSelector('zone!=eu'), labels)).toBe(true);
    expect(matches(parseLabelSelector('zone notin (eu)'), labels)).toBe(true);
    expect(matches(parseLabelSelector('zone'), labels)).toBe(false);
    expect(matches(parseLabelSelector('!tier'), labels)).toBe(false);
  });
});
