import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../env.js';

/** The PEM text of the server's certificate (chain) and private key. */
export interface TlsFiles {
  cert: string;
  key: string;
}

const VARS = { cert: 'FLEETPLANE_TLS_CERT', key: 'FLEETPLANE_TLS_KEY' } as const;

/**
 * `FLEETPLANE_TLS_CERT` and `FLEETPLANE_TLS_KEY` (PEM files, both or neither):
 * HTTPS on Node, which kubectl needs before it sends a bearer token. Read and
 * checked at start, so a wrong file stops the start naming its variable,
 * rather than failing each handshake later. Node only: on Workers TLS ends at
 * Cloudflare's edge.
 */
export async function tlsFromEnv(env: Record<string, string | undefined>): Promise<TlsFiles | undefined> {
  const paths = { cert: env[VARS.cert] || undefined, key: env[VARS.key] || undefined };
  if (!paths.cert && !paths.key) return undefined;
  const problems: string[] = [];
  const read = async (which: 'cert' | 'key') => {
    const path = paths[which];
    if (!path) {
      problems.push(`${VARS[which]}: must be set together with ${VARS[which === 'cert' ? 'key' : 'cert']}`);
      return undefined;
    }
    return readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      problems.push(`${VARS[which]}: ${path} cannot be read (${err.code ?? err.message})`);
      return undefined;
    });
  };
  const [cert, key] = [await read('cert'), await read('key')];
  const parsed = {
    cert: cert === undefined ? undefined : attempt(() => new X509Certificate(cert), `${VARS.cert}: not a PEM certificate`, problems),
    key: key === undefined ? undefined : attempt(() => createPrivateKey(key), `${VARS.key}: not a PEM private key`, problems),
  };
  if (parsed.cert && parsed.key && !parsed.cert.checkPrivateKey(parsed.key)) problems.push(`${VARS.key}: does not belong to the certificate in ${VARS.cert}`);
  if (problems.length > 0 || cert === undefined || key === undefined) throw new ConfigError(`invalid environment:\n  ${problems.join('\n  ')}`);
  return { cert, key };
}

function attempt<T>(fn: () => T, problem: string, problems: string[]): T | undefined {
  try {
    return fn();
  } catch {
    problems.push(problem);
    return undefined;
  }
}
