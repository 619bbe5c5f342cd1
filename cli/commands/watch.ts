import type { Command } from 'commander';
import { ApiFailure, connect, expectOk, outcome, type Api } from '../api.js';
import { statusLines } from '../app-status.js';
import { requireTenant, resolveConnection } from '../connection.js';
import { Output } from '../output.js';
import { isPaused, rolloutOf, type App, type ClusterStatus } from '../rollout.js';

/** Done when every placed cluster is Ready at the app's newest generation, or anything Failed, or the rollout paused. */
function verdict(app: App): 'ready' | 'failed' | 'paused' | undefined {
  if (isPaused(app)) return 'paused';
  if (app.status.phase === 'Failed') return 'failed';
  return app.status.phase === 'Ready' && app.status.observedGeneration >= app.metadata.generation ? 'ready' : undefined;
}

/**
 * Plain polling: the ETag is the resourceVersion, which status changes do not
 * move, so a conditional GET would answer 304 while the clusters progress.
 */
async function read(api: Api, tenant: string, name: string): Promise<App> {
  const o = await outcome<App>(api.GET('/v1/tenants/{tenant}/apps/{app}', { params: { path: { tenant, app: name } } }));
  if (!o.data) throw new ApiFailure(o.status, o.problem, `app/${name}`);
  return o.data;
}

/** Every placed cluster, by name, from the paged list (its items carry `wave` during a progressive rollout). */
async function allClusters(api: Api, tenant: string, name: string): Promise<ClusterStatus[]> {
  const found: ClusterStatus[] = [];
  let cursor: string | undefined;
  do {
    const query = { limit: '500', ...(cursor ? { cursor } : {}) };
    const page = expectOk(await outcome<{ items: ClusterStatus[]; nextCursor: string | null }>(
      api.GET('/v1/tenants/{tenant}/apps/{app}/clusters', { params: { path: { tenant, app: name }, query } })), `clusters of app/${name}`);
    found.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/**
 * The cluster lines to show. Without a rollout, status.clusters (at most 100,
 * those not Ready first). During one, every cluster with its wave: from
 * status.clusters when it holds them all with their waves, else from the list.
 */
async function clustersToShow(api: Api, tenant: string, app: App): Promise<ClusterStatus[]> {
  const inStatus: ClusterStatus[] = app.status.clusters;
  if (!rolloutOf(app)) return inStatus;
  const complete = app.status.summary.clusters <= inStatus.length && inStatus.every((c) => c.wave !== undefined);
  return complete ? inStatus : allClusters(api, tenant, app.metadata.name);
}

export function watchCommand(program: Command) {
  program
    .command('watch')
    .description('follow an app’s status per cluster (and rollout wave) until it is Ready (exit 0), Failed, Paused or interrupted (exit 1)')
    .argument('<kind>', 'app')
    .argument('<name>', 'the app')
    .option('--interval <seconds>', 'seconds between polls', '2')
    .option('--timeout <seconds>', 'give up after this long (exit 1); 0 waits for ever', '0')
    .action(async (kind: string, name: string, opts: { interval: string; timeout: string }, cmd: Command) => {
      if (!['app', 'apps'].includes(kind.toLowerCase())) throw new Error(`watch follows apps: fleetplane watch app NAME (not "${kind}")`);
      const out = new Output();
      const connection = await resolveConnection(cmd.optsWithGlobals());
      const tenant = requireTenant(connection);
      const api = connect(connection, (l) => out.error(l));
      const intervalMs = Math.max(0.2, Number(opts.interval) || 2) * 1000;
      const deadline = Number(opts.timeout) > 0 ? Date.now() + Number(opts.timeout) * 1000 : Infinity;
      let interrupted = false;
      const onSignal = () => { interrupted = true; };
      process.once('SIGINT', onSignal);
      let shown: string[] = [];
      try {
        for (;;) {
          const app = await read(api, tenant, name);
          const lines = statusLines(app, await clustersToShow(api, tenant, app));
          if (lines.join('\n') !== shown.join('\n')) {
            if (out.tty && shown.length) process.stdout.write(`\x1b[${shown.length}A\x1b[0J`); // redraw in place
            lines.forEach((l) => out.line(l));
            shown = lines;
          }
          const v = verdict(app);
          if (v === 'paused') out.error(`app/${name} is paused; once the cause is fixed, continue with: fleetplane resume app ${name}`);
          if (v) { process.exitCode = v === 'ready' ? 0 : 1; return; }
          out.progress(`watching app/${name} (Ctrl-C to stop)`);
          if (Date.now() >= deadline) { out.error(`app/${name} not Ready after ${opts.timeout} s`); process.exitCode = 1; return; }
          for (let waited = 0; waited < intervalMs && !interrupted; waited += 100) await new Promise((r) => setTimeout(r, 100));
          if (interrupted) { out.error('interrupted'); process.exitCode = 1; return; }
        }
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}
