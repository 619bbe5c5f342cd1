import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, stopProcess } from '../support/start-process.js';
import { makeTestCa, type IssuedCert } from '../support/test-ca.js';

/** HTTPS on Node (API.md "Running": FLEETPLANE_TLS_CERT, FLEETPLANE_TLS_KEY). */
let dir: string;
let ca: Awaited<ReturnType<typeof makeTestCa>>;
let server: IssuedCert;
let other: IssuedCert;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetplane-tls-'));
  ca = await makeTestCa(dir);
  server = await ca.issue('server');
  other = await ca.issue('other');
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** GET with the test CA trusted (and nothing else). */
function get(url: string, token: string, trust: string[] = [ca.caCert]) {
  return new Promise<{ status: number; body: string; protocol: string }>((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` }, ca: trust }, (res) => {
      let body = '';
      const protocol = (res.socket as { getProtocol?: () => string | null }).getProtocol?.() ?? '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, protocol }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS on Node', () => {
  it('serves the API over TLS with the given certificate, prints an https URL, and refuses plain http and untrusted clients', async () => {
    const p = startProcess({ FLEETPLANE_DATA_DIR: join(dir, 'data'), FLEETPLANE_TLS_CERT: server.certPath, FLEETPLANE_TLS_KEY: server.keyPath });
    try {
      const url = await p.listening;
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const token = /admin token: (fp_\S+)/.exec(p.out())![1]!;
      const ok = await get(`${url}/v1/tenants`, token);
      expect(ok.status).toBe(200);
      expect(ok.protocol).toMatch(/^TLSv1\.[23]$/);
      expect((await get(`${url}/v1/tenants`, 'fp_wrong')).status).toBe(401);
      // a client that does not trust the CA does not get through the handshake
      await expect(get(`${url}/v1/tenants`, token, [other.cert])).rejects.toThrow(/self-signed|unable to verify|certificate/i);
      // plain HTTP to the TLS port is not answered as HTTP
      await expect(fetch(`${url.replace('https:', 'http:')}/v1/tenants`)).rejects.toThrow();
    } finally {
      await stopProcess(p);
    }
  }, 60_000);

  it.each([
    ['only a certificate', () => ({ FLEETPLANE_TLS_CERT: server.certPath }), /FLEETPLANE_TLS_KEY: must be set together with FLEETPLANE_TLS_CERT/],
    ['a key of another certificate', () => ({ FLEETPLANE_TLS_CERT: server.certPath, FLEETPLANE_TLS_KEY: other.keyPath }), /FLEETPLANE_TLS_KEY: does not belong to the certificate/],
    ['a missing file and a key that is no key', () => ({ FLEETPLANE_TLS_CERT: join(dir, 'nope.pem'), FLEETPLANE_TLS_KEY: server.certPath }),
      /FLEETPLANE_TLS_CERT: .*nope\.pem cannot be read \(ENOENT\)[\s\S]*FLEETPLANE_TLS_KEY: not a PEM private key/],
  ])('%s stops the start with a message naming the variable', async (_what, env, message) => {
    const p = startProcess({ FLEETPLANE_DATA_DIR: join(dir, 'data'), ...env() });
    expect(await p.exited).toBe(1);
    expect(p.err()).toMatch(message);
  }, 30_000);
});
