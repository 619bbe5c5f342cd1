import type { Command } from 'commander';
import { connect, expectOk, outcome } from '../api.js';
import { requireTenant, resolveConnection } from '../connection.js';
import { kindNamed } from '../kinds.js';

const parseLabels = (text: string | undefined): Record<string, string> =>
  Object.fromEntries((text ? text.split(',') : []).filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--labels takes key=value pairs, not "${pair}"`);
    return [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
  }));

export function joinCommand(program: Command) {
  program
    .command('join')
    .description('create the cluster if it is missing, and print the kubectl command that installs its connector')
    .argument('<cluster>', 'cluster name')
    .option('--labels <key=value,...>', 'labels for a cluster created here')
    .addHelpText('after', '\nThe command holds a single-use join token that expires (1 h); run it against the cluster to join.')
    .action(async (name: string, opts: { labels?: string }, cmd: Command) => {
      const connection = await resolveConnection(cmd.optsWithGlobals());
      const tenant = requireTenant(connection);
      const api = connect(connection);
      const cluster = kindNamed('cluster')!;
      const existing = await cluster.get(api, tenant, { name });
      if (existing.status === 404) {
        const body = { metadata: { name, labels: parseLabels(opts.labels) }, spec: {} };
        const created = await cluster.put(api, tenant, { name }, body, { 'If-None-Match': '*' });
        expectOk(created, `creating cluster/${name}`);
        process.stderr.write(`cluster/${name} created\n`);
      } else {
        expectOk(existing, `cluster/${name}`);
      }
      const token = expectOk(
        await outcome<{ command: string; expiresAt: string }>(
          api.POST('/v1/tenants/{tenant}/clusters/{cluster}/join-tokens', { params: { path: { tenant, cluster: name } }, body: {} as never }),
        ),
        `creating a join token for cluster/${name}`,
      );
      process.stderr.write(`Run this against cluster ${name} (the link works once, until ${token.expiresAt}):\n`);
      process.stdout.write(`${token.command}\n`);
    });
}
