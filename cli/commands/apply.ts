import type { Command } from 'commander';
import { connect } from '../api.js';
import { requireTenant, resolveConnection } from '../connection.js';
import { readDocuments } from '../documents.js';
import { errorLines, Output, reportDocProblem, reportObjectError } from '../output.js';
import { applyDocument, checkTenant, docLabel } from '../reconcile.js';

export function applyCommand(program: Command) {
  program
    .command('apply')
    .description('create or update the objects in files or directories (*.yaml, *.yml, *.json), in order: clusters, templates, versions, namespaces, apps')
    .requiredOption('-f, --filename <path...>', 'files or directories (searched recursively)')
    .addHelpText('after', '\nPrints one line per object: <kind>/<name> created | updated | unchanged.\nExit code: 0 when everything was applied, 1 when anything failed (the rest is still applied).')
    .action(async (opts: { filename: string[] }, cmd: Command) => {
      const out = new Output();
      const { docs, problems } = await readDocuments(opts.filename);
      problems.forEach((p) => reportDocProblem(out, p));
      let failed = problems.length > 0;
      const connection = await resolveConnection(cmd.optsWithGlobals());
      const tenant = requireTenant(connection);
      const api = connect(connection, (l) => out.error(l));
      try {
        await checkTenant(api, tenant);
      } catch (err) {
        errorLines(err).forEach((l, i) => out.error(i === 0 ? `error: ${l}` : l));
        process.exitCode = 1;
        return;
      }
      for (const [i, d] of docs.entries()) {
        out.progress(`[${i + 1}/${docs.length}] applying ${docLabel(d)}`);
        try {
          out.line(`${docLabel(d)} ${await applyDocument(api, tenant, d)}`);
        } catch (err) {
          failed = true;
          reportObjectError(out, d, docLabel(d), err);
        }
      }
      out.done();
      process.exitCode = failed ? 1 : 0;
    });
}
