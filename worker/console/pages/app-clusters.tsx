import { ChoiceFilter, FilterForm } from '../components/filters.js';
import { Pager } from '../components/pager.js';
import { Phase } from '../components/phase.js';
import type { AppClusterView, AppView } from '../components/types.js';
import { tenantPath, type ConsoleCtx } from '../context.js';

export const CLUSTERS_ID = 'app-clusters';
const PHASES = ['Pending', 'Progressing', 'Ready', 'Failed', 'Suspended', 'Unknown'];

/**
 * Which clusters the table shows: `?phase=` pages through the API; "Needs
 * attention" (`?attention=1`) is the app status's own list, which holds up to
 * 100 clusters, those not Ready first: that is every one needing attention
 * unless more than 100 do (then the per-phase filters page through them all).
 */
export async function readAppClusters(ctx: ConsoleCtx, app: AppView) {
  const url = ctx.url;
  if (url.searchParams.get('attention') === '1') {
    const items = (app.status?.clusters ?? []).filter((k) => k.phase !== 'Ready');
    const s = app.status?.summary;
    const more = s ? s.clusters - s.ready > items.length : false;
    return { items, nextCursor: null, more };
  }
  const q = new URLSearchParams({ limit: '100' });
  for (const n of ['phase', 'cursor']) if (url.searchParams.get(n)) q.set(n, url.searchParams.get(n)!);
  const r = await ctx.api<{ items: AppClusterView[]; nextCursor: string | null }>('GET', `/v1/tenants/${ctx.tenant}/apps/${encodeURIComponent(app.metadata.name)}/clusters?${q}`);
  return { items: r.ok ? r.body.items : [], nextCursor: r.ok ? r.body.nextCursor : null, more: false };
}

const healthy = (k: AppClusterView) => k.resources.filter((r) => r.health === 'Healthy').length;

function Resources({ k }: { k: AppClusterView }) {
  if (k.resources.length === 0) return <span>none reported</span>;
  const troubled = k.resources.filter((r) => r.health !== 'Healthy');
  return (
    <details open={troubled.length > 0 && troubled.length <= 3}>
      <summary>{`${healthy(k)}/${k.resources.length} healthy`}</summary>
      <ul>
        {k.resources.map((r) => (
          <li>
            {r.kind} <code>{r.namespace ? `${r.namespace}/` : ''}{r.name}</code>: <Phase value={r.health} />
            {r.message && <span class="message">{` — ${r.message}`}</span>}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function ClusterRows({ ctx, items }: { ctx: ConsoleCtx; items: AppClusterView[] }) {
  return (
    <tbody id={CLUSTERS_ID} hx-get={ctx.url.pathname + ctx.url.search} hx-trigger="sse:App" hx-target="this" hx-swap="outerHTML">
      {items.length === 0 && <tr><td colspan={4}>No cluster matches.</td></tr>}
      {items.map((k) => (
        <tr>
          <th scope="row"><a href={tenantPath(ctx.tenant, `/clusters/${encodeURIComponent(k.name)}`)}>{k.name}</a></th>
          <td><Phase value={k.phase} />{k.wave !== undefined ? ` (wave ${k.wave})` : ''}</td>
          <td>{k.revision ?? '—'}</td>
          <td><Resources k={k} /></td>
        </tr>
      ))}
    </tbody>
  );
}

export const ClustersFilter = ({ url }: { url: URL }) => (
  <FilterForm label="Filter clusters">
    <label>
      <input type="checkbox" name="attention" value="1" checked={url.searchParams.get('attention') === '1'} />
      Needs attention
    </label>
    <ChoiceFilter url={url} label="Phase" name="phase" options={PHASES} />
  </FilterForm>
);

export function ClustersTable({ ctx, items, nextCursor, more }: { ctx: ConsoleCtx; items: AppClusterView[]; nextCursor: string | null; more: boolean }) {
  return (
    <>
      <ClustersFilter url={ctx.url} />
      {more && <p role="status">More than 100 clusters need attention; filter by phase to page through all of them.</p>}
      <div class="table-scroll">
        <table>
          <caption>Clusters</caption>
          <thead><tr><th scope="col">Cluster</th><th scope="col">Phase</th><th scope="col">Revision</th><th scope="col">Resources</th></tr></thead>
          <ClusterRows ctx={ctx} items={items} />
        </table>
      </div>
      <Pager url={ctx.url} nextCursor={nextCursor} label="Clusters" />
    </>
  );
}
