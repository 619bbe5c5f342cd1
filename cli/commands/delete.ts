import type { Command } from 'commander';
import { ApiFailure, connect, type Api } from '../api.js';
import { requireTenant, resolveConnection } from '../connection.js';
import { readDocuments } from '../documents.js';
import { KINDS, kindNamed, refFromArg, refLabel, type KindDef, type Ref } from '../kinds.js';
import { Output, reportDocProblem, reportObjectError } from '../output.js';

/** 'deleted', or 'not found' (an error unless ignored). */
async function remove(api: Api, tenant: string, k: KindDef, ref: Ref, ignoreMissing: boolean): Promise<string> {
  if (!k.delete) throw new Error(`${k.kind}s cannot be deleted on their own; delete the template`);
  const r = await k.delete(api, tenant, ref);
  if (r.status === 404 && ignoreMissing) return 'not found';
  if (r.status >= 400) throw new ApiFailure(r.status, r.problem, `deleting ${refLabel(k, ref)}`);
  return 'deleted';
}

export function deleteCommand(program: Command) {
  program
    .command('delete')
    .description('delete one object (KIND NAME), or the objects in files (-f), apps first and clusters last')
    .argument('[kind]', `${KINDS.map((k) => k.kind).join(', ')} (any case, singular or plural)`)
    .argument('[name]', 'the object to delete')
    .option('-f, --filename <path...>', 'files or directories whose objects to delete')
    .option('--ignore-not-found', 'an object that does not exist is not an error')
    .action(async (kindArg: string | undefined, name: string | undefined, opts: { filename?: string[]; ignoreNotFound?: boolean }, cmd: Command) => {
      const out = new Output();
      const connection = await resolveConnection(cmd.optsWithGlobals());
      const tenant = requireTenant(connection);
      const api = connect(connection, (l) => out.error(l));
      const ignore = Boolean(opts.ignoreNotFound);
      if (!opts.filename) {
        const k = kindArg ? kindNamed(kindArg) : undefined;
        if (!k || !name) throw new Error('usage: fleetplane delete KIND NAME, or fleetplane delete -f PATH');
        const ref = refFromArg(k, name);
        out.line(`${refLabel(k, ref)} ${await remove(api, tenant, k, ref, ignore)}`);
        return;
      }
      if (kindArg) throw new Error('give either KIND NAME or -f PATH, not both');
      const { docs, problems } = await readDocuments(opts.filename);
      problems.forEach((p) => reportDocProblem(out, p));
      let failed = problems.length > 0;
      for (const d of [...docs].reverse().filter((x) => x.kind.kind !== 'TemplateVersion')) {
        try {
          out.line(`${refLabel(d.kind, d.ref)} ${await remove(api, tenant, d.kind, d.ref, ignore)}`);
        } catch (err) {
          failed = true;
          reportObjectError(out, d, refLabel(d.kind, d.ref), err);
        }
      }
      const versions = docs.filter((x) => x.kind.kind === 'TemplateVersion').length;
      if (versions) out.error(`note: ${versions} template version(s) go with their templates`);
      if (failed) process.exitCode = 1;
    });
}
