import { beforeAll, describe, expect, it } from 'vitest';
import { documentApp } from '../../scripts/openapi-document.js';

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}
type Doc = {
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  info: { description?: string };
  paths: Record<string, Record<string, Operation>>;
};

const fetchDoc = async (publicUrl: string | undefined, url = 'http://localhost/openapi.json') =>
  (await (await documentApp(publicUrl)).request(url)).json() as Promise<Doc>;

const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

/** Operations that take no credentials, parameters or body: nothing in them can answer a 4xx. */
const PROBES = ['get /healthz', 'get /readyz', 'get /.well-known/jwks.json'];

let doc: Doc;
beforeAll(async () => {
  doc = await fetchDoc('https://fleet.example.com');
});

describe('the OpenAPI document, for code generators', () => {
  it('gives every operation a unique operationId named after a verb and a resource', () => {
    const ids = operations(doc).map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z]+[A-Z][A-Za-z]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'listClusters', 'getCluster', 'putCluster', 'deleteCluster', 'createJoinToken', 'revokeCluster',
      'listTenants', 'getTenant', 'putTenant', 'deleteTenant', 'listMembers', 'putMember', 'createToken',
      'listAuditEvents', 'registerConnector', 'connectorHeartbeat', 'getDesiredState', 'watchDesiredState',
      'putConnectorStatus', 'getInstallManifest', 'getHealth', 'getReadiness',
    ]) expect(ids).toContain(id);
  });

  it('tags every operation with a tag described at the top level', () => {
    const described = new Map(doc.tags?.map((t) => [t.name, t.description]));
    for (const { op } of operations(doc)) {
      expect(op.tags?.length).toBeGreaterThan(0);
      for (const t of op.tags!) expect(described.get(t)).toBeTruthy();
    }
    expect(doc.info.description).toMatch(/problem\+json/);
  });

  it('declares at least one 4xx on every operation that can answer one, and the ones every route of its kind can', () => {
    for (const { path, method, op } of operations(doc)) {
      const name = `${method} ${path}`;
      const codes = Object.keys(op.responses);
      if (PROBES.includes(name)) {
        expect(op.security, name).toEqual([]);
        continue;
      }
      expect(codes.some((c) => /^4\d\d$/.test(c)), name).toBe(true);
      const authenticated = op.security === undefined || op.security.length > 0;
      if (authenticated) expect(codes, name).toEqual(expect.arrayContaining(['401', '429']));
      if (op.requestBody) expect(codes, name).toEqual(expect.arrayContaining(['400', '413', '415']));
      if (path.startsWith('/v1/tenants/{tenant}')) expect(codes, name).toContain('404');
    }
    const put = doc.paths['/v1/tenants/{tenant}/clusters/{cluster}']!.put!;
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['403', '412']));
  });

  it('names FLEETPLANE_PUBLIC_URL in servers, without a trailing slash', async () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'https://fleet.example.com' })]);
    const slashed = await fetchDoc('https://fleet.example.com/base/');
    expect(slashed.servers?.[0]?.url).toBe('https://fleet.example.com/base');
  });

  it('without a public URL, names the origin the request came to', async () => {
    const a = await fetchDoc(undefined, 'http://10.1.2.3:8080/openapi.json');
    expect(a.servers?.[0]?.url).toBe('http://10.1.2.3:8080');
    const b = await fetchDoc(undefined, 'https://api.acme.test/openapi.json');
    expect(b.servers?.[0]?.url).toBe('https://api.acme.test');
  });
});
