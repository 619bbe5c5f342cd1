import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const openssl = (...args: string[]) => run('openssl', args);

export interface IssuedCert {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

/**
 * A certificate authority of a test's own (openssl, P-256), and server
 * certificates it signs: clients are made to trust the CA, never told to skip
 * verification.
 */
export async function makeTestCa(dir: string) {
  const ca = { certPath: join(dir, 'ca.pem'), keyPath: join(dir, 'ca-key.pem') };
  await openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=Fleetplane test CA', '-keyout', ca.keyPath, '-out', ca.certPath,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const caCert = await readFile(ca.certPath, 'utf8');

  /** A server certificate for these names and addresses (`DNS:localhost`, `IP:127.0.0.1`). */
  async function issue(name: string, altNames = ['IP:127.0.0.1', 'DNS:localhost']): Promise<IssuedCert> {
    const base = join(dir, name);
    const out = { certPath: `${base}.pem`, keyPath: `${base}-key.pem` };
    const ext = `${base}.ext`;
    await writeFile(ext, `subjectAltName=${altNames.join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n`);
    await openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', `/CN=${name}`, '-keyout', out.keyPath, '-out', `${base}.csr`);
    await openssl('x509', '-req', '-in', `${base}.csr`, '-CA', ca.certPath, '-CAkey', ca.keyPath, '-CAcreateserial',
      '-days', '2', '-extfile', ext, '-out', out.certPath);
    return { ...out, cert: await readFile(out.certPath, 'utf8'), key: await readFile(out.keyPath, 'utf8') };
  }

  return { caPath: ca.certPath, caCert, issue };
}
