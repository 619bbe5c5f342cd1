/** The `fleetplane` command-line client (see `fleetplane --help`). */
import { Command, CommanderError } from 'commander';
import { applyCommand } from './commands/apply.js';
import { credentialCommand } from './commands/credential.js';
import { deleteCommand } from './commands/delete.js';
import { getCommand } from './commands/get.js';
import { joinCommand } from './commands/join.js';
import { kubeconfigCommand } from './commands/kubeconfig.js';
import { loginCommand } from './commands/login.js';
import { logsCommand } from './commands/logs.js';
import { planCommand } from './commands/plan.js';
import { resumeCommand } from './commands/resume.js';
import { rollbackCommand } from './commands/rollback.js';
import { watchCommand } from './commands/watch.js';
import { errorLines } from './output.js';

export function buildProgram() {
  const program = new Command('fleetplane')
    .description('Fleetplane from the command line: apply, plan, get and delete clusters, templates, namespaces and apps; follow events and rollouts')
    .option('--url <url>', 'the Fleetplane server (env FLEETPLANE_URL)')
    .option('--token <token>', 'API token or user JWT (env FLEETPLANE_TOKEN)')
    .option('--tenant <name>', 'tenant to work in (env FLEETPLANE_TENANT)')
    .addHelpText('after', '\nFlags win over the environment, which wins over what `fleetplane login` stored.\nRequests answered 429 or 503 are retried with backoff, honouring Retry-After.')
    .showHelpAfterError()
    .exitOverride();
  for (const add of [loginCommand, applyCommand, planCommand, getCommand, deleteCommand, joinCommand, watchCommand, resumeCommand, rollbackCommand, kubeconfigCommand, credentialCommand, logsCommand]) add(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

export async function main(argv: string[]) {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode; // commander printed the message, or the help
      return;
    }
    errorLines(err).forEach((l, i) => process.stderr.write(`${i === 0 ? 'error: ' : ''}${l}\n`));
    process.exitCode = 1;
  }
}

// `fleetplane get ... | head`: a reader that stops early is not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

await main(process.argv);
