import type { Command } from 'commander';
import { appArg, postAppAction } from '../app-action.js';

export function rollbackCommand(program: Command) {
  program
    .command('rollback')
    .description('give an app the spec of an earlier revision, as a new generation')
    .argument('<kind>', 'app')
    .argument('<name>', 'the app')
    .requiredOption('--revision <n>', 'the revision to go back to (see GET .../apps/{app}/revisions)')
    .addHelpText('after', '\nExit code: 0 rolled back, 1 otherwise.')
    .action(async (kind: string, name: string, opts: { revision: string }, cmd: Command) => {
      appArg('rollback', kind);
      // checked here so that a typo is not sent as a request the server must refuse
      if (!/^[1-9]\d*$/.test(opts.revision)) throw new Error(`--revision takes a revision number (1, 2, ...), not "${opts.revision}"`);
      const revision = Number(opts.revision);
      const app = await postAppAction(cmd, name, 'rolling back', (api, tenant, headers) =>
        api.POST('/v1/tenants/{tenant}/apps/{app}/rollback', { params: { path: { tenant, app: name } }, headers, body: { revision } }));
      process.stdout.write(`app/${name} rolled back to revision ${revision} (generation ${app.metadata.generation})\n`);
    });
}
