import type { Command } from 'commander';
import type { components } from '../../client/index.js';
import { ApiFailure, connect, outcome, type Api } from '../api.js';
import { requireTenant, resolveConnection } from '../connection.js';
import { Output } from '../output.js';

type App = components['schemas']['App'];

/** The app's status as lines: its phase, then one line per cluster with its resources' health. */
export function statusLines(app: App): string[] {
  const s = app.status;
  const sum = s.summary;
  const head = `app/${app.metadata.name} ${s.phase}: ${sum.ready}/${sum.clusters} clusters ready` +
    `${sum.progressing ? `, ${sum.progressing} progressing` : ''}${sum.failed ? `, ${sum.failed} failed` : ''}${sum.unknown ? `, ${sum.unknown} unknown` : ''}` +
    ` (generation ${app.metadata.generation}, observed ${s.observedGeneration})${s.message ? ` – ${s.message}` : ''}`;
  const width = Math.max(0, ...s.clusters.map((c) => c.name.length));
  const rows = s.clusters.map((c) => {
    const unhealthy = c.resources.filter((r) => r.health !== 'Healthy');
    const detail = unhealthy.map((r) => `${r.kind}/${r.name} ${r.health}${r.message ? ` (${r.message})` : ''}`).join(', ');
    return `  ${c.name.padEnd(width)}  ${c.phase.padEnd(11)} revision ${c.revision ?? '-'}  ${c.resources.length} resources${detail ? `: ${detail}` : ''}`;
  });
  return [head, ...rows];
}

/** Done when every placed cluster is Ready at the app's newest generation, or anything Failed. */
const verdict = (app: App): 'ready' | 'failed' | undefined =>
  app.status.phase === 'Failed' ? 'failed' : app.status.phase === 'Ready' && app.status.observedGeneration >= app.metadata.generation ? 'ready' : undefined;

/**
 * Plain polling: the ETag is the resourceVersion, which status changes do not
 * move, so a conditional GET would answer 304 while the clusters progress.
 */
async function read(api: Api, tenant: string, name: string): Promise<App> {
  const o = await outcome<App>(api.GET('/v1/tenants/{tenant}/apps/{app}', { params: { path: { tenant, app: name } } }));
  if (!o.data) throw new ApiFailure(o.status, o.problem, `app/${name}`);
  return o.data;
}

export function watchCommand(program: Command) {
  program
    .command('watch')
    .description('follow an app’s status per cluster until it is Ready (exit 0), Failed or interrupted (exit 1)')
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
          const lines = statusLines(app);
          if (lines.join('\n') !== shown.join('\n')) {
            if (out.tty && shown.length) process.stdout.write(`\x1b[${shown.length}A\x1b[0J`); // redraw in place
            lines.forEach((l) => out.line(l));
            shown = lines;
          }
          const v = verdict(app);
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
