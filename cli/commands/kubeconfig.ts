import type { Command } from 'commander';
import { connect, expectOk, outcome } from '../api.js';
import { requireTenant, resolveConnection } from '../connection.js';

export function kubeconfigCommand(program: Command) {
  program
    .command('kubeconfig')
    .description("print a kubeconfig for a cluster through Fleetplane's gateway (no secret in it: kubectl asks `fleetplane credential`)")
    .argument('<cluster>', 'cluster name')
    .addHelpText('after', '\nExample: fleetplane kubeconfig edge-1 > edge-1.yaml && KUBECONFIG=edge-1.yaml kubectl get pods -A')
    .action(async (cluster: string, _opts: unknown, cmd: Command) => {
      const connection = await resolveConnection(cmd.optsWithGlobals());
      const tenant = requireTenant(connection);
      const yaml = expectOk(
        await outcome<string>(connect(connection).GET('/v1/tenants/{tenant}/clusters/{cluster}/kubeconfig', {
          params: { path: { tenant, cluster } }, parseAs: 'text',
        })),
        `kubeconfig of cluster/${cluster}`,
      );
      process.stdout.write(yaml);
    });
}
