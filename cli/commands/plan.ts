import type { Command } from 'commander';
import { ApiFailure, expectOk, outcome, type Api } from '../api.js';
import { colourDiff, asAdded, yamlDiff } from '../diff.js';
import type { Doc } from '../documents.js';
import { openFiles } from '../file-session.js';
import { toManifest } from '../kinds.js';
import { reportObjectError } from '../output.js';
import { desiredManifest, docLabel, readCurrent, sameContent, writeOnlyIn } from '../reconcile.js';

interface ClusterPlan { name: string; action: 'create' | 'update' | 'delete' | 'none'; diff: string }

/** The server's per-cluster plan for an app spec; writes nothing. */
async function clusterPlans(api: Api, tenant: string, d: Doc): Promise<ClusterPlan[]> {
  const r = await outcome<{ clusters: ClusterPlan[] }>(api.POST('/v1/tenants/{tenant}/apps/{app}/plan', {
    params: { path: { tenant, app: d.ref.name } }, body: { spec: d.spec } as never,
  }));
  return expectOk(r, `planning ${docLabel(d)} on its clusters`).clusters;
}

/** Whether this run would also create the template version an app uses (then its clusters cannot be planned yet). */
const versionPending = (d: Doc, creating: Set<string>) => {
  const t = d.spec.template as { name?: string; version?: string } | undefined;
  return creating.has(`templateversion/${t?.name}@${t?.version}`);
};

export function planCommand(program: Command) {
  program
    .command('plan')
    .description('show what apply would do, object by object, with a diff; for apps, the server’s plan per cluster. Writes nothing')
    .requiredOption('-f, --filename <path...>', 'files or directories (searched recursively)')
    .addHelpText('after', '\nExit code: 0 no changes, 2 changes, 1 error (like terraform plan -detailed-exitcode).')
    .action(async (opts: { filename: string[] }, cmd: Command) => {
      const session = await openFiles(opts.filename, cmd);
      if (!session) return;
      const { out, docs, api, tenant } = session;
      const colour = out.tty;
      let { failed } = session;
      let changes = 0;
      const creating = new Set<string>();
      for (const d of docs) {
        const label = docLabel(d);
        try {
          const current = await readCurrent(api, tenant, d);
          if (!current) {
            changes++;
            creating.add(label);
            out.line(`+ ${label} will be created`);
            out.line(asAdded(desiredManifest(d)));
          } else if (sameContent(current, d)) {
            out.line(`  ${label} unchanged`);
          } else if (d.kind.kind === 'TemplateVersion') {
            throw new ApiFailure(409, undefined, `${label} differs from the stored version, and versions cannot change; publish a new version`);
          } else {
            changes++;
            out.line(`~ ${label} will be updated (the server's copy differs from the file)`);
            colourDiff(yamlDiff(label, toManifest(d.kind, current, d.ref), desiredManifest(d)), colour).forEach((l) => out.line(`    ${l}`));
          }
          for (const field of current ? writeOnlyIn(d) : []) {
            out.line(`    spec.${field}: not compared (the server never shows it); apply sends it, and it changes only if it differs`);
          }
          if (d.kind.kind !== 'App') continue;
          if (versionPending(d, creating)) {
            out.line('    clusters: planned once its template version exists (created by this apply)');
            continue;
          }
          const plans = await clusterPlans(api, tenant, d);
          for (const p of plans.filter((c) => c.action !== 'none')) {
            changes++;
            out.line(`    cluster ${p.name}: ${p.action}`);
            colourDiff(p.diff, colour).forEach((l) => out.line(`      ${l}`));
          }
          const same = plans.filter((c) => c.action === 'none').length;
          if (same) out.line(`    ${same} cluster${same === 1 ? '' : 's'} unchanged`);
          if (!plans.length) out.line('    placed on no cluster');
        } catch (err) {
          failed = true;
          reportObjectError(out, d, label, err);
        }
      }
      process.exitCode = failed ? 1 : changes > 0 ? 2 : 0;
    });
}
