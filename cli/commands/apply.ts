import type { Command } from 'commander';
import { openFiles } from '../file-session.js';
import { reportObjectError } from '../output.js';
import { applyDocument, docLabel } from '../reconcile.js';

export function applyCommand(program: Command) {
  program
    .command('apply')
    .description('create or update the objects in files or directories (*.yaml, *.yml, *.json), in order: clusters, templates, versions, namespaces, apps, webhooks')
    .requiredOption('-f, --filename <path...>', 'files or directories (searched recursively)')
    .addHelpText('after', '\nPrints one line per object: <kind>/<name> created | updated | unchanged; a webhook created without a secret\nis followed by the secret the server generated, shown only then.\nExit code: 0 when everything was applied, 1 when anything failed (the rest is still applied).')
    .action(async (opts: { filename: string[] }, cmd: Command) => {
      const session = await openFiles(opts.filename, cmd);
      if (!session) return;
      const { out, docs, api, tenant } = session;
      let { failed } = session;
      for (const [i, d] of docs.entries()) {
        out.progress(`[${i + 1}/${docs.length}] applying ${docLabel(d)}`);
        try {
          const applied = await applyDocument(api, tenant, d);
          out.line(`${docLabel(d)} ${applied.result}`);
          // e.g. a webhook's generated secret: the server shows it in this answer only
          for (const [field, value] of applied.shownOnce) out.line(`  spec.${field}: ${String(value)} (generated; shown only this once)`);
        } catch (err) {
          failed = true;
          reportObjectError(out, d, docLabel(d), err);
        }
      }
      out.done();
      process.exitCode = failed ? 1 : 0;
    });
}
