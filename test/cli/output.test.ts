import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkDocument } from '../../cli/documents.js';
import { kindNamed, refFromArg } from '../../cli/kinds.js';
import { Output } from '../../cli/output.js';

/** A stream that records what is written, as a terminal or not. */
const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => chunks.push(s) > 0, text: () => chunks.join('') } as unknown as NodeJS.WriteStream & { text(): string };
};

afterEach(() => vi.unstubAllEnvs());

describe('progress display', () => {
  it('on a terminal: a transient spinner line, replaced by each result line', () => {
    vi.stubEnv('TERM', 'xterm-256color');
    const out = sink(true);
    const o = new Output(out, sink(false));
    o.progress('[1/2] applying cluster/a');
    o.line('cluster/a created');
    o.progress('[2/2] applying cluster/b');
    o.done();
    const text = out.text();
    expect(text).toMatch(/^\r\x1b\[2K. \[1\/2\] applying cluster\/a\r\x1b\[2Kcluster\/a created\n\r\x1b\[2K. \[2\/2\] applying cluster\/b\r\x1b\[2K$/);
  });

  it('piped: plain lines only', () => {
    const out = sink(false);
    const o = new Output(out, sink(false));
    o.progress('applying');
    o.line('cluster/a created');
    o.done();
    expect(out.text()).toBe('cluster/a created\n');
  });
});

describe('documents and kinds', () => {
  it('accepts a Fleetplane object, ignoring status and read-only metadata as get -o json prints them', () => {
    const r = checkDocument({
      apiVersion: 'fleetplane.io/v1', kind: 'Cluster',
      metadata: { name: 'a', labels: { env: 'prod' }, resourceVersion: '4', uid: 'u' }, spec: { description: 'x' }, status: { phase: 'Ready' },
    });
    expect(r.errors).toEqual([]);
    expect(r.doc).toMatchObject({ ref: { name: 'a' }, labels: { env: 'prod' }, spec: { description: 'x' } });
  });

  it('lists every envelope problem with its pointer', () => {
    const r = checkDocument({ apiVersion: 'v1', kind: 'TemplateVersion', metadata: { name: '1.0.0', owner: 'x' }, spec: 'no', extra: 1 });
    expect(r.doc).toBeUndefined();
    expect(r.errors.map((e) => e.pointer).sort()).toEqual(['/apiVersion', '/extra', '/metadata/owner', '/metadata/template', '/spec']);
  });

  it('kinds: any case, singular, plural or short; versions named TEMPLATE@VERSION', () => {
    for (const w of ['app', 'apps', 'App', 'APPS']) expect(kindNamed(w)?.kind).toBe('App');
    expect(kindNamed('ns')?.kind).toBe('Namespace');
    expect(kindNamed('TemplateVersions')?.kind).toBe('TemplateVersion');
    expect(kindNamed('gadget')).toBeUndefined();
    expect(refFromArg(kindNamed('tv')!, 'web@1.2.0')).toEqual({ template: 'web', name: '1.2.0' });
    expect(() => refFromArg(kindNamed('tv')!, '1.2.0')).toThrow(/TEMPLATE@VERSION/);
  });
});
