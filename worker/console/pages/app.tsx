import type { Context, Hono } from 'hono';
import { atLeast } from '../../auth/roles.js';
import { Ago } from '../components/ago.js';
import { EventRows, EventsTable, readEvents } from '../components/events.js';
import { NotFound } from '../components/not-found.js';
import { Phase } from '../components/phase.js';
import { placementText } from '../components/placement.js';
import { ProblemAlert, type Problem } from '../components/problem.js';
import type { AppClusterView, AppSpecView, AppView } from '../components/types.js';
import { tenantPath, type ConsoleCtx, type ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';
import { templateText } from './apps.js';
import { CLUSTERS_ID, ClusterRows, ClustersTable, readAppClusters } from './app-clusters.js';

const STATUS_ID = 'app-status';
const EVENTS_ID = 'app-events';

export interface RevisionView {
  revision: number;
  generation: number;
  createdAt: string;
  spec: AppSpecView;
}

export const appApi = (ctx: ConsoleCtx, name: string) => `/v1/tenants/${ctx.tenant}/apps/${encodeURIComponent(name)}`;
export const appPage = (ctx: ConsoleCtx, name: string, rest = '') => tenantPath(ctx.tenant, `/apps/${encodeURIComponent(name)}${rest}`);

function Waves({ app, clusters }: { app: AppView; clusters: AppClusterView[] }) {
  const r = app.status?.rollout;
  if (!r || app.spec.rollout?.strategy !== 'Progressive') return null;
  const stateOf = (w: number) => (w < r.wave || r.state === 'Complete' ? 'Complete' : w === r.wave ? r.state : 'Waiting');
  return (
    <div class="table-scroll">
      <table>
      <caption>Rollout waves</caption>
      <thead><tr><th scope="col">Wave</th><th scope="col">State</th><th scope="col">Clusters (this page)</th></tr></thead>
      <tbody>
        {Array.from({ length: r.waves }, (_, i) => i + 1).map((w) => (
          <tr aria-current={w === r.wave && r.state !== 'Complete' ? 'step' : undefined}>
            <th scope="row">{w}</th>
            <td><Phase value={stateOf(w)} /></td>
            <td>{clusters.filter((k) => k.wave === w).map((k) => k.name).join(', ') || '—'}</td>
          </tr>
        ))}
      </tbody>
      </table>
    </div>
  );
}

function Status({ ctx, app, clusters }: { ctx: ConsoleCtx; app: AppView; clusters: AppClusterView[] }) {
  const s = app.status;
  const paused = s?.rollout?.state === 'Paused';
  return (
    <section id={STATUS_ID} hx-get={appPage(ctx, app.metadata.name)} hx-trigger="sse:App" hx-target="this" hx-swap="outerHTML" aria-label="Status">
      <dl class="facts">
        <dt>Phase</dt><dd><Phase value={s?.phase} /></dd>
        <dt>Clusters</dt>
        <dd>{s ? `${s.summary.ready}/${s.summary.clusters} ready, ${s.summary.progressing} progressing, ${s.summary.failed} failed, ${s.summary.unknown} unknown` : '—'}</dd>
        <dt>Template</dt><dd>{templateText(app.spec.template)}</dd>
        <dt>Namespace</dt><dd>{app.spec.namespace}</dd>
        <dt>Placement</dt><dd>{placementText(app.spec.placement)}</dd>
        <dt>Generation</dt><dd>{`${app.metadata.generation ?? '—'} (every cluster has ${s?.observedGeneration ?? 0})`}</dd>
      </dl>
      {s?.rollout?.message && <p class="message">{s.rollout.message}</p>}
      <Waves app={app} clusters={clusters} />
      {paused && atLeast(ctx.role, 'operator') && (
        <form method="post" action={appPage(ctx, app.metadata.name, '/resume')}><button type="submit">Resume</button></form>
      )}
    </section>
  );
}

function Revisions({ ctx, app, items }: { ctx: ConsoleCtx; app: string; items: RevisionView[] }) {
  const current = Math.max(0, ...items.map((r) => r.revision));
  const now = new Date();
  return (
    <div class="table-scroll">
      <table>
        <caption>Revisions</caption>
        <thead><tr><th scope="col">Revision</th><th scope="col">Made</th><th scope="col">Template</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {items.map((r) => (
            <tr>
              <th scope="row">{r.revision}</th>
              <td><Ago at={r.createdAt} now={now} /></td>
              <td>{templateText(r.spec.template)}</td>
              <td>
                {r.revision === current ? 'current' : atLeast(ctx.role, 'operator')
                  ? <a role="button" class="outline" href={appPage(ctx, app, `/rollback?revision=${r.revision}`)} aria-label={`Roll back to revision ${r.revision}`}>Roll back</a>
                  : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Actions({ ctx, name, confirm }: { ctx: ConsoleCtx; name: string; confirm: boolean }) {
  if (!atLeast(ctx.role, 'operator')) return null;
  if (confirm) {
    return (
      <section aria-label="Confirm">
        <p role="alert">Deleting the app removes what it placed from every cluster (unless its deletion policy is Orphan).</p>
        <form method="post" action={appPage(ctx, name, '/delete')} class="inline-form"><button type="submit" class="contrast">Confirm delete</button></form>{' '}
        <a href={appPage(ctx, name)}>Cancel</a>
      </section>
    );
  }
  return (
    <p>
      <a role="button" class="secondary" href={appPage(ctx, name, '/edit')}>Edit</a>{' '}
      <a role="button" class="outline contrast" href={appPage(ctx, name, '?confirm=delete')}>Delete</a>
    </p>
  );
}

export async function appView(c: Context<ConsoleEnv>, problem?: Problem, status = 200) {
  const ctx = c.get('console');
  const name = c.req.param('app')!;
  const got = await ctx.api<AppView>('GET', appApi(ctx, name));
  if (got.status === 404) return c.html(<NotFound />, 404);
  const app = got.body;
  const target = c.req.header('hx-target');
  const clusters = await readAppClusters(ctx, app);
  if (target === STATUS_ID) return c.html(<Status ctx={ctx} app={app} clusters={clusters.items} />);
  if (target === CLUSTERS_ID) return c.html(<ClusterRows ctx={ctx} items={clusters.items} />);
  const self = appPage(ctx, name);
  const [revisions, events] = await Promise.all([
    ctx.api<{ items: RevisionView[] }>('GET', `${appApi(ctx, name)}/revisions?limit=20`),
    readEvents(ctx, { kind: 'App', object: name, limit: 10 }),
  ]);
  const eventRows = <EventRows id={EVENTS_ID} items={events.body.items ?? []} now={c.get('deps').now()} self={self} trigger="sse:App" />;
  if (target === EVENTS_ID) return c.html(eventRows);
  return c.html(
    <Page ctx={ctx} title={name} section="Apps">
      <ProblemAlert problem={problem} />
      <Actions ctx={ctx} name={name} confirm={c.req.query('confirm') === 'delete'} />
      <Status ctx={ctx} app={app} clusters={clusters.items} />
      <h2>Clusters</h2>
      <ClustersTable ctx={ctx} {...clusters} />
      <h2>Revisions</h2>
      <Revisions ctx={ctx} app={name} items={revisions.body.items ?? []} />
      <h2>Recent events</h2>
      <EventsTable caption="Recent events">{eventRows}</EventsTable>
    </Page>,
    status as 200,
  );
}

export function mountApp(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/apps/:app', (c) => appView(c));
  app.post('/t/:tenant/apps/:app/resume', async (c) => {
    const ctx = c.get('console');
    const r = await ctx.api('POST', `${appApi(ctx, c.req.param('app'))}/resume`, {});
    return r.ok ? c.redirect(appPage(ctx, c.req.param('app')), 303) : appView(c, r.body, r.status);
  });
  app.post('/t/:tenant/apps/:app/delete', async (c) => {
    const ctx = c.get('console');
    const r = await ctx.api('DELETE', appApi(ctx, c.req.param('app')));
    return r.ok ? c.redirect(tenantPath(ctx.tenant, '/apps'), 303) : appView(c, r.body, r.status);
  });
}
