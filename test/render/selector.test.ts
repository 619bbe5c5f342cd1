import { describe, expect, it } from 'vitest';
import { matchesSelector, overridesFor } from '../../worker/render/selector.js';
import type { Override } from '../../worker/render/types.js';

const labels = { env: 'prod', region: 'eu', tier: 'gold' };

describe('matchesSelector', () => {
  it.each([
    [{}, true],
    [{ matchLabels: { env: 'prod' } }, true],
    [{ matchLabels: { env: 'prod', region: 'us' } }, false],
    [{ matchExpressions: [{ key: 'region', operator: 'In', values: ['us', 'eu'] }] }, true],
    [{ matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['eu'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'In', values: [] }] }, false],
    [{ matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'legacy', operator: 'Exists' }] }, false],
  ] as const)('%j → %s', (selector, expected) => {
    expect(matchesSelector(structuredClone(selector) as never, labels)).toBe(expected);
  });
});

describe('overridesFor', () => {
  const overrides: Override[] = [
    { clusters: ['eu-1'], values: { a: 0 } },
    { selector: { matchLabels: { env: 'prod' } }, values: { a: 1 } },
    { clusters: ['us-9'], selector: { matchLabels: { region: 'eu' } } },
    { clusters: ['us-9'], selector: { matchLabels: { region: 'us' } } },
    { values: { everywhere: true } },
    { clusters: [] },
  ];

  it('keeps spec order and indexes; both fields match the union; neither matches everything', () => {
    expect(overridesFor(overrides, { name: 'eu-1', labels }).map((o) => o.index)).toEqual([0, 1, 2, 4]);
    expect(overridesFor(overrides, { name: 'us-9', labels: {} }).map((o) => o.index)).toEqual([2, 3, 4]);
    expect(overridesFor(overrides, { name: 'x', labels: {} })).toEqual([{ index: 4, override: overrides[4] }]);
  });
});
