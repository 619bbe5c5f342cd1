import type { Context, Hono } from 'hono';
import { atLeast } from '../../auth/roles.js';
import { PHASES } from '../../domain/clusters/phase.js';
import { Ago } from '../components/ago.js';
import { ChoiceFilter, FilterForm, TextFilter } from '../components/filters.js';
import { Pager } from '../components/pager.js';
import { Phase } from '../components/phase.js';
import { ProblemAlert, type Problem } from '../components/problem.js';
import { labelText, listQuery, type ClusterView, type Listed } from '../components/types.js';
import { tenantPath, type ConsoleCtx, type ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';

const ROWS_ID = 'clusters-rows';

function Rows({ ctx, items, now }: { ctx: ConsoleCtx; items: ClusterView[]; now: Date }) {
  // fetched again, with the page's own query, whenever a cluster of this tenant changes
  const self = ctx.url.pathname + ctx.url.search;
  return (
    <tbody id={ROWS_ID} hx-get={self} hx-trigger="sse:Cluster" hx-target="this" hx-swap="outerHTML">
      {items.length === 0 && (
        <tr><td colspan={6}>No clusters match.</td></tr>
      )}
      {items.map((cl) => (
        <tr>
          <th scope="row"><a href={tenantPath(ctx.tenant, `/clusters/${cl.metadata.name}`)}>{cl.metadata.name}</a></th>
          <td><Phase value={cl.status.phase} /></td>
          <td>{cl.status.kubernetesVersion ?? '—'}</td>
          <td>{cl.status.nodeCount ?? '—'}</td>
          <td><Ago at={cl.status.lastHeartbeatAt} now={now} /></td>
          <td>{labelText(cl.metadata.labels)}</td>
        </tr>
      ))}
    </tbody>
  );
}

const Filters = ({ url }: { url: URL }) => (
  <FilterForm label="Filter clusters">
    <TextFilter url={url} label="Label selector" name="labelSelector" placeholder="env=prod,region in (eu,us)" />
    <ChoiceFilter url={url} label="Phase" name="phase" options={PHASES} />
  </FilterForm>
);

async function clustersPage(c: Context<ConsoleEnv>) {
  const ctx = c.get('console');
  const answer = await ctx.api<Listed<ClusterView>>('GET', `/v1/tenants/${ctx.tenant}/clusters?${listQuery(ctx.url, ['labelSelector', 'phase'])}`);
  const problem = answer.ok ? undefined : (answer.body as unknown as Problem);
  const list = answer.ok ? answer.body : { items: [], nextCursor: null };
  const now = c.get('deps').now();
  if (c.req.header('hx-target') === ROWS_ID) return c.html(<Rows ctx={ctx} items={list.items} now={now} />);
  return c.html(
    <Page ctx={ctx} title="Clusters" section="Clusters">
      {atLeast(ctx.role, 'admin') && <p><a href={tenantPath(ctx.tenant, '/clusters/new')} role="button">Add cluster</a></p>}
      <Filters url={ctx.url} />
      <ProblemAlert problem={problem} />
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">Clusters</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Phase</th><th scope="col">Kubernetes</th><th scope="col">Nodes</th><th scope="col">Last heartbeat</th><th scope="col">Labels</th></tr>
          </thead>
          <Rows ctx={ctx} items={list.items} now={now} />
        </table>
      </div>
      <Pager url={ctx.url} nextCursor={list.nextCursor} label="Clusters" />
    </Page>,
    problem ? (problem.status as 400) : 200,
  );
}

export function mountClusters(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/clusters', clustersPage);
}
