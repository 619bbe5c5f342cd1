import type { Context, Hono } from 'hono';
import { Pager } from '../components/pager.js';
import { Phase } from '../components/phase.js';
import { placementText } from '../components/placement.js';
import { ProblemAlert, type Problem } from '../components/problem.js';
import { labelText, listQuery, type AppView, type Listed } from '../components/types.js';
import type { ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';

type NamespaceView = Omit<AppView, 'spec'> & {
  spec: { placement?: AppView['spec']['placement']; quota?: { cpu?: string; memory?: string; pods?: number }; labels?: Record<string, string> };
};

const ROWS_ID = 'namespaces-rows';

const quotaText = (q: NamespaceView['spec']['quota']) =>
  q ? [q.cpu && `cpu ${q.cpu}`, q.memory && `memory ${q.memory}`, q.pods !== undefined && `${q.pods} pods`].filter(Boolean).join(', ') : '';

function Rows({ items, self }: { items: NamespaceView[]; self: string }) {
  return (
    <tbody id={ROWS_ID} hx-get={self} hx-trigger="sse:Namespace" hx-target="this" hx-swap="outerHTML">
      {items.length === 0 && <tr><td colspan={5}>No federated namespaces yet.</td></tr>}
      {items.map((n) => (
        <tr>
          <th scope="row">{n.metadata.name}</th>
          <td>{placementText(n.spec.placement)}</td>
          <td>{quotaText(n.spec.quota) || '—'}</td>
          <td>{labelText(n.spec.labels) || '—'}</td>
          <td><Phase value={n.status?.phase} /> {n.status ? `${n.status.summary.ready}/${n.status.summary.clusters}` : ''}</td>
        </tr>
      ))}
    </tbody>
  );
}

async function namespacesPage(c: Context<ConsoleEnv>) {
  const ctx = c.get('console');
  const answer = await ctx.api<Listed<NamespaceView>>('GET', `/v1/tenants/${ctx.tenant}/namespaces?${listQuery(ctx.url, [])}`);
  const problem = answer.ok ? undefined : (answer.body as unknown as Problem);
  const list = answer.ok ? answer.body : { items: [], nextCursor: null };
  const self = ctx.url.pathname + ctx.url.search;
  if (c.req.header('hx-target') === ROWS_ID) return c.html(<Rows items={list.items} self={self} />);
  return c.html(
    <Page ctx={ctx} title="Namespaces" section="Namespaces">
      <p>A federated namespace is created on every cluster its placement selects, with its quota and labels. Create one with <code>fleetplane apply</code> or the API.</p>
      <ProblemAlert problem={problem} />
      <div class="table-scroll">
        <table>
          <caption>Namespaces</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Placement</th><th scope="col">Quota</th><th scope="col">Labels</th><th scope="col">Ready</th></tr></thead>
          <Rows items={list.items} self={self} />
        </table>
      </div>
      <Pager url={ctx.url} nextCursor={list.nextCursor} label="Namespaces" />
    </Page>,
    problem ? (problem.status as 400) : 200,
  );
}

export function mountNamespaces(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/namespaces', namespacesPage);
}
