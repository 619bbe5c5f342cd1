import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Connection {
  url: string;
  token: string | undefined;
  tenant: string | undefined;
}

export interface ConnectionFlags {
  url?: string;
  token?: string;
  tenant?: string;
}

type Stored = Partial<Record<keyof Connection, string>>;

/** `$XDG_CONFIG_HOME/fleetplane/config.json`, else `~/.config/fleetplane/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env) {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'fleetplane', 'config.json');
}

export async function readStored(path = configPath()): Promise<Stored> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Stored) : {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Written readable by its owner only: it holds a token. */
export async function writeStored(values: Stored, path = configPath()) {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600); // the mode above applies only when the file is created
}

/** Flags win over the environment, which wins over what `fleetplane login` stored. */
export async function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
  const stored = await readStored(configPath(env));
  const pick = (flag: string | undefined, variable: string, key: keyof Stored) => flag || env[variable] || stored[key] || undefined;
  const url = pick(flags.url, 'FLEETPLANE_URL', 'url');
  if (!url) throw new Error('no server: pass --url, set FLEETPLANE_URL, or run `fleetplane login --url URL`');
  return { url, token: pick(flags.token, 'FLEETPLANE_TOKEN', 'token'), tenant: pick(flags.tenant, 'FLEETPLANE_TENANT', 'tenant') };
}

export function requireTenant(c: Connection): string {
  if (!c.tenant) throw new Error('no tenant: pass --tenant, set FLEETPLANE_TENANT, or run `fleetplane login --tenant NAME`');
  return c.tenant;
}
