import { describe, expect, it } from 'vitest';
import { stampedObjects as stampedBytes } from '../../worker/domain/connector/stamped-objects.js';

const stampedObjects = (hash: string, revision: number, json: string) => new TextDecoder().decode(stampedBytes(hash, revision, json));

const ANNOTATION = 'fleetplane.io/revision';

describe('stampedObjects', () => {
  it('stamps the revision on every object, keeping the other annotations and the key order', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations: { keep: 'me' } }, data: { x: '1' } },
      { apiVersion: 'v1', kind: 'Secret', data: {} },
    ];
    const text = stampedObjects('h-stamp', 7, JSON.stringify(objects));
    expect(JSON.parse(`[${text}]`)).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations: { keep: 'me', [ANNOTATION]: '7' } }, data: { x: '1' } },
      { apiVersion: 'v1', kind: 'Secret', data: {}, metadata: { annotations: { [ANNOTATION]: '7' } } },
    ]);
    expect(Object.keys(JSON.parse(`[${text}]`)[0])).toEqual(['apiVersion', 'kind', 'metadata', 'data']);
  });

  it('no objects is the empty string', () => {
    expect(stampedObjects('h-empty', 1, '[]')).toBe('');
  });

  it('the same content at another revision is stamped anew', () => {
    const objects = JSON.stringify([{ kind: 'ConfigMap', metadata: { name: 'b' } }]);
    expect(stampedObjects('h-rev', 1, objects)).toContain(`"${ANNOTATION}":"1"`);
    expect(stampedObjects('h-rev', 2, objects)).toContain(`"${ANNOTATION}":"2"`);
    expect(stampedObjects('h-rev', 1, objects)).toContain(`"${ANNOTATION}":"1"`);
  });

  it('is UTF-8: text beyond ASCII arrives whole, and the byte length is what is sent', () => {
    const objects = [{ kind: 'ConfigMap', metadata: { name: 'u' }, data: { greeting: 'grüß dich, 世界 👋' } }];
    const bytes = stampedBytes('h-utf8', 3, JSON.stringify(objects));
    expect(JSON.parse(`[${new TextDecoder('utf-8', { fatal: true }).decode(bytes)}]`)[0].data.greeting).toBe('grüß dich, 世界 👋');
    expect(bytes.byteLength).toBeGreaterThan(new TextDecoder().decode(bytes).length);
  });
});
