import type { Command } from 'commander';
import { connect, expectOk, outcome } from '../api.js';
import { configPath, readStored, resolveConnection, writeStored } from '../connection.js';

export function loginCommand(program: Command) {
  program
    .command('login')
    .description('check the server, token and tenant, then store them for later commands')
    .addHelpText('after', `\nTakes --url, --token and --tenant (or FLEETPLANE_URL, FLEETPLANE_TOKEN, FLEETPLANE_TENANT) and stores them in
$XDG_CONFIG_HOME/fleetplane/config.json (else ~/.config/fleetplane/config.json), readable by you only.
Flags and the environment still win over what is stored.`)
    .action(async (_opts: unknown, cmd: Command) => {
      const connection = await resolveConnection(cmd.optsWithGlobals());
      if (!connection.token) throw new Error('no token: pass --token or set FLEETPLANE_TOKEN');
      const api = connect(connection);
      // the token must be accepted; the tenant, when given, must be visible to it
      expectOk(await outcome(api.GET('/v1/tenants', { params: { query: { limit: '1' } } })), `signing in to ${connection.url}`);
      if (connection.tenant) {
        const tenant = connection.tenant;
        expectOk(await outcome(api.GET('/v1/tenants/{tenant}', { params: { path: { tenant } } })), `tenant ${tenant}`);
      }
      const path = configPath();
      const stored = await readStored(path);
      await writeStored({ ...stored, url: connection.url, token: connection.token, ...(connection.tenant ? { tenant: connection.tenant } : {}) }, path);
      process.stdout.write(`logged in to ${connection.url}${connection.tenant ? ` (tenant ${connection.tenant})` : ''}; saved to ${path}\n`);
    });
}
