import type { Context, Hono } from 'hono';
import { atLeast } from '../../auth/roles.js';
import { Pager } from '../components/pager.js';
import { Phase } from '../components/phase.js';
import { ProblemAlert, type Problem } from '../components/problem.js';
import { listQuery, type AppView, type Listed } from '../components/types.js';
import { tenantPath, type ConsoleCtx, type ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';

const ROWS_ID = 'apps-rows';

export const templateText = (t: AppView['spec']['template']) => `${t.name}@${t.version}${t.catalog ? ' (catalog)' : ''}`;

function Rows({ ctx, items }: { ctx: ConsoleCtx; items: AppView[] }) {
  return (
    <tbody id={ROWS_ID} hx-get={ctx.url.pathname + ctx.url.search} hx-trigger="sse:App" hx-target="this" hx-swap="outerHTML">
      {items.length === 0 && <tr><td colspan={4}>No apps yet.</td></tr>}
      {items.map((a) => (
        <tr>
          <th scope="row"><a href={tenantPath(ctx.tenant, `/apps/${encodeURIComponent(a.metadata.name)}`)}>{a.metadata.name}</a></th>
          <td>{templateText(a.spec.template)}</td>
          <td><Phase value={a.status?.phase} /></td>
          <td>{a.status ? `${a.status.summary.ready}/${a.status.summary.clusters}` : '—'}</td>
        </tr>
      ))}
    </tbody>
  );
}

async function appsPage(c: Context<ConsoleEnv>) {
  const ctx = c.get('console');
  const answer = await ctx.api<Listed<AppView>>('GET', `/v1/tenants/${ctx.tenant}/apps?${listQuery(ctx.url, ['labelSelector'])}`);
  const problem = answer.ok ? undefined : (answer.body as unknown as Problem);
  const list = answer.ok ? answer.body : { items: [], nextCursor: null };
  if (c.req.header('hx-target') === ROWS_ID) return c.html(<Rows ctx={ctx} items={list.items} />);
  return c.html(
    <Page ctx={ctx} title="Apps" section="Apps">
      {atLeast(ctx.role, 'operator') && <p><a href={tenantPath(ctx.tenant, '/apps/new')}>Deploy app</a></p>}
      <ProblemAlert problem={problem} />
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">Apps</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Template</th><th scope="col">Phase</th><th scope="col">Ready</th></tr></thead>
          <Rows ctx={ctx} items={list.items} />
        </table>
      </div>
      <Pager url={ctx.url} nextCursor={list.nextCursor} label="Apps" />
    </Page>,
    problem ? (problem.status as 400) : 200,
  );
}

export function mountApps(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/apps', appsPage);
}
