import type { Command } from 'commander';
import { ApiFailure, connect } from '../api.js';
import { appArg } from '../app-action.js';
import { requireTenant, resolveConnection } from '../connection.js';

type LogLine = { cluster: string; pod: string; container: string; line: string } | { cluster: string; error: string };

const count = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} takes a whole number, not "${v}"`);
  return n;
};

export function logsCommand(program: Command) {
  program
    .command('logs')
    .description("the logs of an app's pods on its clusters, each line prefixed with its cluster, pod and container")
    .argument('<kind>', 'app')
    .argument('<name>', 'the app')
    .option('--cluster <name>', 'only this cluster')
    .option('--container <name>', 'only this container')
    .option('--tail <lines>', 'the last lines of each container', count('--tail'))
    .option('--since <seconds>', 'only lines newer than this', count('--since'))
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .addHelpText('after', '\nA cluster that cannot answer prints one error line (stderr) and the others go on; the exit code is then 1.')
    .action(async (kind: string, name: string, opts: { cluster?: string; container?: string; tail?: number; since?: number; follow?: boolean }, cmd: Command) => {
      appArg('logs', kind);
      const connection = await resolveConnection(cmd.optsWithGlobals());
      const tenant = requireTenant(connection);
      const query = {
        ...(opts.cluster ? { cluster: opts.cluster } : {}), ...(opts.container ? { container: opts.container } : {}),
        ...(opts.tail !== undefined ? { tailLines: opts.tail } : {}), ...(opts.since !== undefined ? { sinceSeconds: opts.since } : {}),
        ...(opts.follow ? { follow: 'true' as const } : {}),
      };
      const r = await connect(connection).GET('/v1/tenants/{tenant}/apps/{app}/logs', { params: { path: { tenant, app: name }, query }, parseAs: 'stream' });
      if (!r.response.ok || !r.data) throw new ApiFailure(r.response.status, r.error as never, `logs of app/${name}`);
      let failed = false;
      const decoder = new TextDecoder();
      let rest = '';
      const print = (text: string) => {
        if (!text) return;
        const l = JSON.parse(text) as LogLine;
        if ('error' in l) {
          failed = true;
          process.stderr.write(`[${l.cluster}] error: ${l.error}\n`);
        } else process.stdout.write(`[${l.cluster}/${l.pod}/${l.container}] ${l.line}\n`);
      };
      for await (const chunk of r.data as unknown as AsyncIterable<Uint8Array>) {
        rest += decoder.decode(chunk, { stream: true });
        const parts = rest.split('\n');
        rest = parts.pop()!;
        parts.forEach(print);
      }
      print(rest + decoder.decode());
      if (failed) process.exitCode = 1;
    });
}
