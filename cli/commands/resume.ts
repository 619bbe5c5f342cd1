import type { Command } from 'commander';
import { appArg, postAppAction } from '../app-action.js';
import { rolloutOf } from '../rollout.js';

export function resumeCommand(program: Command) {
  program
    .command('resume')
    .description('continue an app’s paused progressive rollout with its next wave')
    .argument('<kind>', 'app')
    .argument('<name>', 'the app')
    .addHelpText('after', '\nExit code: 0 resumed, 1 otherwise (e.g. the app has no paused rollout).')
    .action(async (kind: string, name: string, _opts: unknown, cmd: Command) => {
      appArg('resume', kind);
      const app = await postAppAction(cmd, name, 'resuming', (api, tenant, headers) =>
        api.POST('/v1/tenants/{tenant}/apps/{app}/resume', { params: { path: { tenant, app: name } }, headers }));
      const r = rolloutOf(app);
      process.stdout.write(`app/${name} resumed${r ? `: wave ${r.wave}/${r.waves} ${r.state}` : ''}\n`);
    });
}
