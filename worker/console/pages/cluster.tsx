import type { Context, Hono } from 'hono';
import { atLeast } from '../../auth/roles.js';
import { Ago } from '../components/ago.js';
import { EventRows, EventsTable, readEvents } from '../components/events.js';
import { NotFound } from '../components/not-found.js';
import { Phase } from '../components/phase.js';
import { ProblemAlert, type Problem } from '../components/problem.js';
import { labelText, type AppView, type ClusterView, type Listed } from '../components/types.js';
import { tenantPath, type ConsoleCtx, type ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';
import { JOIN_PHASE_ID, JoinPhase, mintJoin } from './cluster-join.js';

const STATUS_ID = 'cluster-status';
const EVENTS_ID = 'cluster-events';
const ACTIONS = { revoke: 'Revoke', delete: 'Delete' } as const;
type Action = keyof typeof ACTIONS;

const clusterApi = (ctx: ConsoleCtx, name: string) => `/v1/tenants/${ctx.tenant}/clusters/${encodeURIComponent(name)}`;
const clusterPage = (ctx: ConsoleCtx, name: string, q = '') => tenantPath(ctx.tenant, `/clusters/${encodeURIComponent(name)}${q}`);

function Status({ ctx, cl, now }: { ctx: ConsoleCtx; cl: ClusterView; now: Date }) {
  const s = cl.status;
  return (
    <section id={STATUS_ID} hx-get={clusterPage(ctx, cl.metadata.name)} hx-trigger="sse:Cluster" hx-target="this" hx-swap="outerHTML" aria-label="Status">
      <dl class="facts">
        <dt>Phase</dt><dd><Phase value={s.phase} /></dd>
        <dt>Last heartbeat</dt><dd><Ago at={s.lastHeartbeatAt} now={now} /></dd>
        <dt>Kubernetes</dt><dd>{s.kubernetesVersion ?? '—'}</dd>
        <dt>Nodes</dt><dd>{s.nodeCount ?? '—'}</dd>
        <dt>Connector</dt><dd>{s.connectorVersion ?? '—'}</dd>
        <dt>Revision</dt><dd>desired {s.desiredRevision}, applied {s.appliedRevision ?? '—'}</dd>
        <dt>Labels</dt><dd>{labelText(cl.metadata.labels) || '—'}</dd>
        {cl.spec.description && <><dt>Description</dt><dd>{cl.spec.description}</dd></>}
      </dl>
      {s.conditions.length > 0 && (
        <div class="table-scroll">
          <table>
          <caption>Conditions</caption>
          <thead><tr><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Message</th></tr></thead>
          <tbody>
            {s.conditions.map((k) => <tr><td>{k.type}</td><td>{k.status}</td><td>{k.reason ?? ''}</td><td class="message">{k.message ?? ''}</td></tr>)}
          </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The apps whose status names this cluster (an app lists up to 100 clusters there, those needing attention first). */
function Apps({ ctx, apps, cluster }: { ctx: ConsoleCtx; apps: AppView[]; cluster: string }) {
  const here = apps.flatMap((a) => {
    const mine = a.status?.clusters?.find((k) => k.name === cluster);
    return mine ? [{ app: a, phase: mine.phase, revision: mine.revision }] : [];
  });
  return (
    <div class="table-scroll">
      <table>
        <caption>Apps</caption>
        <thead><tr><th scope="col">App</th><th scope="col">Phase here</th><th scope="col">Revision</th></tr></thead>
        <tbody>
          {here.length === 0 && <tr><td colspan={3}>No app is placed on this cluster.</td></tr>}
          {here.map(({ app, phase, revision }) => (
            <tr>
              <th scope="row"><a href={tenantPath(ctx.tenant, `/apps/${encodeURIComponent(app.metadata.name)}`)}>{app.metadata.name}</a></th>
              <td><Phase value={phase} /></td>
              <td>{revision ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Actions({ ctx, name, confirm }: { ctx: ConsoleCtx; name: string; confirm: Action | undefined }) {
  if (!atLeast(ctx.role, 'admin')) return null;
  if (confirm) {
    const what = confirm === 'revoke'
      ? 'Revoking ends the connector’s credential at once: it stops receiving desired state until it joins again with a new command.'
      : 'Deleting removes the cluster from Fleetplane and from every app’s placement; what runs in the cluster stays.';
    return (
      <section aria-label="Confirm">
        <p role="alert">{what}</p>
        <form method="post" action={clusterPage(ctx, name, `/${confirm}`)} class="inline-form">
          <button type="submit" class="contrast">{`Confirm ${confirm}`}</button>
        </form>{' '}
        <a href={clusterPage(ctx, name)}>Cancel</a>
      </section>
    );
  }
  return (
    <p>
      <form method="post" action={clusterPage(ctx, name, '/join')} class="inline-form"><button type="submit" class="secondary">Get a join command</button></form>{' '}
      <a role="button" class="outline" href={clusterPage(ctx, name, '?confirm=revoke')}>Revoke</a>{' '}
      <a role="button" class="outline contrast" href={clusterPage(ctx, name, '?confirm=delete')}>Delete</a>
    </p>
  );
}

async function clusterView(c: Context<ConsoleEnv>, problem?: Problem, status = 200) {
  const ctx = c.get('console');
  const name = c.req.param('cluster')!;
  const got = await ctx.api<ClusterView>('GET', clusterApi(ctx, name));
  if (got.status === 404) return c.html(<NotFound />, 404);
  const now = c.get('deps').now();
  const cl = got.body;
  const target = c.req.header('hx-target');
  if (target === STATUS_ID) return c.html(<Status ctx={ctx} cl={cl} now={now} />);
  if (target === JOIN_PHASE_ID) return c.html(<JoinPhase ctx={ctx} cluster={name} phase={cl.status.phase} />);
  const self = clusterPage(ctx, name);
  const [apps, events] = await Promise.all([
    ctx.api<Listed<AppView>>('GET', `/v1/tenants/${ctx.tenant}/apps?limit=100`),
    readEvents(ctx, { kind: 'Cluster', object: name, limit: 10 }),
  ]);
  const eventRows = <EventRows id={EVENTS_ID} items={events.body.items ?? []} now={now} self={self} trigger="sse:Cluster" />;
  if (target === EVENTS_ID) return c.html(eventRows);
  const confirm = c.req.query('confirm');
  return c.html(
    <Page ctx={ctx} title={name} section="Clusters">
      <ProblemAlert problem={problem} />
      {c.req.query('done') === 'revoked' && <p role="status">The credential was revoked; the connector must join again.</p>}
      <Actions ctx={ctx} name={name} confirm={confirm === 'revoke' || confirm === 'delete' ? confirm : undefined} />
      <Status ctx={ctx} cl={cl} now={now} />
      <h2>Apps</h2>
      <Apps ctx={ctx} apps={apps.body.items ?? []} cluster={name} />
      <h2>Recent events</h2>
      <EventsTable caption="Recent events">{eventRows}</EventsTable>
      <p><a href={tenantPath(ctx.tenant, `/events?kind=Cluster&object=${encodeURIComponent(name)}`)}>All events of {name}</a></p>
    </Page>,
    status as 200,
  );
}

export function mountCluster(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/clusters/:cluster', (c) => clusterView(c));
  app.post('/t/:tenant/clusters/:cluster/join', async (c) => {
    const joined = await mintJoin(c.get('console'), c.req.param('cluster'));
    return joined.page ? c.html(joined.page, 201) : clusterView(c, joined.problem, joined.status);
  });
  app.post('/t/:tenant/clusters/:cluster/revoke', async (c) => {
    const ctx = c.get('console');
    const r = await ctx.api('POST', `${clusterApi(ctx, c.req.param('cluster'))}/revoke`);
    return r.ok ? c.redirect(clusterPage(ctx, c.req.param('cluster'), '?done=revoked'), 303) : clusterView(c, r.body, r.status);
  });
  app.post('/t/:tenant/clusters/:cluster/delete', async (c) => {
    const ctx = c.get('console');
    const r = await ctx.api('DELETE', clusterApi(ctx, c.req.param('cluster')));
    return r.ok ? c.redirect(tenantPath(ctx.tenant, '/clusters'), 303) : clusterView(c, r.body, r.status);
  });
}
