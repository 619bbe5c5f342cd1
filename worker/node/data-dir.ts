import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generatePrivateJwk } from '../auth/signing-keys.js';
import { API_TOKEN_PREFIX } from '../auth/authenticate.js';
import { base64url, randomBytes, sha256Hex } from '../lib/crypto.js';

/** The signing key set kept in the data directory, created on first start. */
export async function signingKeyFromDataDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'signing-keys.json');
  if (!existsSync(file)) {
    await writeFile(file, JSON.stringify({ keys: [await generatePrivateJwk()] }, null, 2), { mode: 0o600 });
  }
  return readFile(file, 'utf8');
}

/**
 * The platform admin token of the embedded default. Generated once; only its
 * hash is kept, so it is printed once (delete the file to mint a new one).
 */
export async function adminTokenFromDataDir(dir: string): Promise<{ hash: string; generated?: string }> {
  const file = join(dir, 'admin-token.sha256');
  if (existsSync(file)) return { hash: (await readFile(file, 'utf8')).trim() };
  const token = `${API_TOKEN_PREFIX}${base64url(randomBytes(32))}`;
  const hash = await sha256Hex(token);
  await writeFile(file, `${hash}\n`, { mode: 0o600 });
  return { hash, generated: token };
}
