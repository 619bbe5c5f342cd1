import type { Command } from 'commander';
import { configPath, readStored } from '../connection.js';

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    throw new Error(`not a URL: ${url}`);
  }
};

/**
 * kubectl's exec credential plugin (client.authentication.k8s.io/v1): prints
 * an ExecCredential with the caller's token. The token comes from --token,
 * FLEETPLANE_TOKEN or `fleetplane login`; a stored one only for the server it
 * was stored for, so that a kubeconfig naming another server cannot obtain it.
 */
export function credentialCommand(program: Command) {
  program
    .command('credential')
    .description('the exec credential kubectl runs for a kubeconfig from `fleetplane kubeconfig`: prints an ExecCredential')
    .addHelpText('after', '\nA token stored by `fleetplane login` is given only for the server it was stored for (--url).')
    .action(async (_opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<{ url?: string; token?: string }>();
      const url = flags.url || process.env.FLEETPLANE_URL;
      if (!url) throw new Error('no server: kubectl passes --url from the kubeconfig; set it, or FLEETPLANE_URL');
      let token = flags.token || process.env.FLEETPLANE_TOKEN || undefined;
      if (!token) {
        const stored = await readStored(configPath());
        if (stored.token && stored.url && originOf(stored.url) !== originOf(url)) {
          throw new Error(`the stored login is for ${stored.url}, not ${url}: run \`fleetplane login --url ${url} --token ...\` or set FLEETPLANE_TOKEN`);
        }
        token = stored.token;
      }
      if (!token) throw new Error(`no token for ${url}: run \`fleetplane login --url ${url} --token fp_...\` or set FLEETPLANE_TOKEN`);
      process.stdout.write(`${JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } })}\n`);
    });
}
