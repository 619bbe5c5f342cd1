import type { Command } from 'commander';
import { stringify } from 'yaml';
import { connect, expectOk, type Api } from '../api.js';
import { requireTenant, resolveConnection } from '../connection.js';
import { API_VERSION, KINDS, kindNamed, refFromArg, toManifest, type KindDef, type Resource } from '../kinds.js';
import { table } from '../table.js';
import { getEvents, isEventsKind, type EventOptions } from './get-events.js';

interface Found { resource: Resource; template?: string }

async function listAll(api: Api, tenant: string, k: KindDef, labelSelector: string | undefined, template?: string): Promise<Found[]> {
  const found: Found[] = [];
  let cursor: string | undefined;
  do {
    const page = expectOk(await k.list(api, tenant, { labelSelector, cursor, template }), `listing ${k.kind}s`);
    found.push(...page.items.map((resource) => ({ resource, template })));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/** Versions belong to templates: with no template named, every template's versions. */
async function listVersions(api: Api, tenant: string, labelSelector: string | undefined) {
  const templates = await listAll(api, tenant, kindNamed('template')!, undefined);
  const all = await Promise.all(templates.map((t) => listAll(api, tenant, kindNamed('templateversion')!, labelSelector, t.resource.metadata.name)));
  return all.flat();
}

export function getCommand(program: Command) {
  program
    .command('get')
    .description('list objects of a kind, or show one; or list the tenant’s events')
    .argument('<kind>', `${KINDS.map((k) => k.kind).join(', ')} (any case, singular or plural), or events`)
    .argument('[name]', 'one object; a template version is TEMPLATE@VERSION')
    .option('-o, --output <format>', 'table, yaml or json', 'table')
    .option('-l, --selector <selector>', 'label selector, e.g. region=eu,tier!=dev')
    .option('--for <kind/name>', 'events: only those of one object, e.g. app/web or cluster/edge-1')
    .option('--watch', 'events: keep printing newer events until Ctrl-C')
    .option('--limit <n>', 'events: how many of the newest to list', '50')
    .option('--interval <seconds>', 'events: seconds between polls with --watch', '2')
    .addHelpText('after', `
-o yaml prints apiVersion, kind, metadata (name, labels) and spec: the output can be applied again.
get events lists the newest events first; with --watch oldest first, newer ones following as they happen.`)
    .action(async (kindArg: string, name: string | undefined, opts: { output: string; selector?: string } & Omit<EventOptions, 'output'>, cmd: Command) => {
      if (!['table', 'yaml', 'json'].includes(opts.output)) throw new Error(`-o must be table, yaml or json, not "${opts.output}"`);
      const events = isEventsKind(kindArg);
      const k = kindNamed(kindArg);
      if (!k && !events) throw new Error(`unknown kind "${kindArg}"; one of ${KINDS.map((x) => x.kind).join(', ')}, or events`);
      // options that only mean something for events are refused elsewhere rather than ignored
      const eventOnly = ['for', 'watch', 'limit', 'interval'].filter((o) => cmd.getOptionValueSource(o) === 'cli');
      if (!events && eventOnly.length) throw new Error(`--${eventOnly[0]} is for get events`);
      if (events && (name || opts.selector)) throw new Error('get events takes no NAME nor -l; name the object with --for KIND/NAME');
      const connection = await resolveConnection(cmd.optsWithGlobals());
      const tenant = requireTenant(connection);
      const api = connect(connection);
      if (!k) return getEvents(api, tenant, opts as EventOptions);
      let found: Found[];
      if (name) {
        const ref = refFromArg(k, name);
        found = [{ resource: expectOk(await k.get(api, tenant, ref), `${k.kind.toLowerCase()}/${name}`), template: ref.template }];
      } else {
        found = k.kind === 'TemplateVersion' ? await listVersions(api, tenant, opts.selector) : await listAll(api, tenant, k, opts.selector);
      }
      if (opts.output === 'yaml') {
        process.stdout.write(found.map((f) => stringify(toManifest(k, f.resource, { name: f.resource.metadata.name, template: f.template }))).join('---\n'));
      } else if (opts.output === 'json') {
        const full = found.map((f) => ({ apiVersion: API_VERSION, kind: k.kind, ...f.resource, metadata: { ...f.resource.metadata, ...(f.template ? { template: f.template } : {}) } }));
        const value = name ? full[0] : { apiVersion: API_VERSION, kind: 'List', items: full };
        process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      } else if (found.length === 0) {
        process.stderr.write(`no ${k.kind.toLowerCase()}s found\n`);
      } else {
        process.stdout.write(`${table(k, found).join('\n')}\n`);
      }
    });
}
