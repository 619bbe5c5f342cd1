import { describe, expect, it } from 'vitest';
import { renderApp } from '../../worker/render/render-app.js';
import type { FieldError, Rendered } from '../../worker/render/types.js';
import { demoTemplate, input } from './fixtures.js';

function errors(r: Rendered): FieldError[] {
  if (r.ok) throw new Error('expected errors, got objects');
  return r.errors;
}

const withManifests = (manifests: string | unknown[]) => ({ ...demoTemplate, manifests });

describe('renderApp errors', () => {
  it('lists every schema violation with a pointer and the cluster', () => {
    const r = renderApp(input({ values: { replicas: 0, image: 7, resources: { cpu: 1, gpu: '1' }, colour: 'red' } }));
    expect(errors(r)).toEqual(
      expect.arrayContaining([
        { pointer: '/spec/values/replicas', message: expect.stringMatching(/^cluster "eu-1": .*1/) },
        { pointer: '/spec/values/image', message: expect.stringContaining('"string"') },
        { pointer: '/spec/values/resources/cpu', message: expect.stringContaining('"string"') },
        { pointer: '/spec/values/resources/gpu', message: 'cluster "eu-1": is not allowed (unknown property)' },
        { pointer: '/spec/values/colour', message: 'cluster "eu-1": is not allowed (unknown property)' },
      ]),
    );
    expect(errors(r)).toHaveLength(5);
  });

  it('points a violation at the override that introduced it', () => {
    const r = renderApp(
      input({
        values: { replicas: 'two' },
        overrides: [
          { index: 0, override: { values: { image: 'ok' } } },
          { index: 3, override: { clusters: ['eu-1'], values: { resources: { cpu: false } } } },
        ],
      }),
    );
    expect(errors(r).map((e) => e.pointer).sort()).toEqual(['/spec/overrides/3/values/resources/cpu', '/spec/values/replicas']);
  });

  it('reports a required value that no layer gives at its own pointer', () => {
    const template = { ...demoTemplate, parameters: { ...demoTemplate.parameters, required: ['token'], properties: { token: { type: 'string' } } } };
    expect(errors(renderApp(input({ template })))).toEqual([{ pointer: '/spec/values/token', message: 'cluster "eu-1": is required' }]);
  });

  it('names the template, document and cluster when json-e fails', () => {
    const r = renderApp(input({ template: withManifests('kind: A\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${values.nope.deeper}\n') }));
    const es = errors(r);
    expect(es).toHaveLength(2);
    expect(es[0]!.message).toMatch(/document 0, .*has no apiVersion/);
    expect(es[1]!.pointer).toBe('/spec/template');
    expect(es[1]!.message).toMatch(/^template demo@1\.2\.3, document 1, cluster "eu-1": InterpreterError at template\.metadata\.name: object has no property "nope"$/);
  });

  it('reports syntactically broken json-e expressions', () => {
    const doc = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
    const r = renderApp(input({ template: withManifests([doc('${app.}'), doc('${app.name +}'), doc('${app.name')]) }));
    const messages = errors(r).map((e) => e.message);
    expect(messages[0]).toMatch(/document 0, cluster "eu-1": SyntaxError at template\.metadata\.name: /);
    expect(messages[1]).toMatch(/document 1, cluster "eu-1": an expression could not be evaluated/);
    expect(messages[2]).toMatch(/document 2, cluster "eu-1": SyntaxError .*unterminated/);
  });

  it('rejects documents that are not Kubernetes objects, collecting all of them', () => {
    const r = renderApp(
      input({
        template: withManifests([
          { kind: 'ConfigMap', metadata: { name: 'a' } },
          'just text',
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_DNS' } },
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok', labels: { n: 5 } } },
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x'.repeat(254) } },
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fine' } },
        ]),
      }),
    );
    const messages = errors(r).map((e) => e.message);
    expect(messages).toHaveLength(5);
    expect(messages[0]).toMatch(/document 0, .*has no apiVersion/);
    expect(messages[1]).toMatch(/document 1, .*is string, not a Kubernetes object/);
    expect(messages[2]).toMatch(/document 2, .*"Not_DNS" is not a DNS-1123 subdomain/);
    expect(messages[3]).toMatch(/document 3, .*metadata\.labels\["n"\] must be a string/);
    expect(messages[4]).toMatch(/document 4, .*not a DNS-1123 subdomain/);
    expect(errors(r).every((e) => e.pointer === '/spec/template')).toBe(true);
  });

  it('rejects two documents producing the same object, after namespace defaulting', () => {
    const cm = (namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', ...(namespace ? { namespace } : {}) } });
    const r = renderApp(input({ template: withManifests([cm(), cm('prod'), cm('other')]) }));
    expect(errors(r)).toEqual([{ pointer: '/spec/template', message: 'template demo@1.2.3, cluster "eu-1": documents 0 and 1 both produce ConfigMap prod/same' }]);
    // the version is not part of an object's identity, the group is
    const v = (apiVersion: string) => ({ apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' } });
    expect(renderApp(input({ template: withManifests([v('autoscaling/v1'), v('autoscaling/v2')]) })).ok).toBe(false);
    expect(renderApp(input({ template: withManifests([v('autoscaling/v2'), v('example.com/v2')]) })).ok).toBe(true);
  });

  it('reports patches to unmatched targets and missing paths, naming the cluster', () => {
    const r = renderApp(
      input({
        overrides: [
          {
            index: 2,
            override: {
              clusters: ['eu-1'],
              patches: [
                { target: { kind: 'Deployment', name: 'nope' }, op: 'add', path: '/spec/x', value: 1 },
                { target: { kind: 'Deployment', name: 'shop' }, op: 'replace', path: '/spec/missing', value: 1 },
                { target: { kind: 'Deployment', name: 'shop' }, op: 'remove', path: '/spec/template/spec/containers/3' },
                { target: { kind: 'Deployment', name: 'shop' }, op: 'add', path: '/a/b/c', value: 1 },
                { target: { kind: 'Deployment', name: 'shop' }, op: 'test', path: '/spec/replicas', value: 9 },
                { target: { kind: 'Deployment', name: 'shop' }, op: 'remove', path: '/metadata/name' },
              ],
            },
          },
        ],
      }),
    );
    const es = errors(r);
    expect(es.map((e) => e.pointer)).toEqual([0, 1, 2, 3, 4, 5].map((j) => `/spec/overrides/2/patches/${j}`));
    expect(es.every((e) => e.message.startsWith('cluster "eu-1": '))).toBe(true);
    expect(es[0]!.message).toContain('no Deployment named "nope"');
    expect(es[1]!.message).toContain('the path does not exist');
    expect(es[3]!.message).toContain('parent of the path does not exist');
    expect(es[4]!.message).toContain('"test" operation failed');
    expect(es[5]!.message).toContain('has no metadata.name');
  });

  it('reports manifests that cannot be parsed against the template', () => {
    const r = renderApp(input({ template: withManifests('a: 1\nb: [\n') }));
    expect(errors(r)[0]).toEqual({ pointer: '/spec/template', message: expect.stringMatching(/^template demo@1\.2\.3: YAML syntax error at line \d+/) });
  });

  it('reports a parameter schema that cannot be evaluated instead of throwing', () => {
    const template = { ...demoTemplate, parameters: { type: 'object', properties: { a: { $ref: '#/$defs/none' } } } };
    expect(errors(renderApp(input({ template, values: { a: 1 } })))[0]!.message).toMatch(/cannot be evaluated/);
  });
});
