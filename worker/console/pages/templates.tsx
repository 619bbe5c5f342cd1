import type { Context, Hono } from 'hono';
import { stringify as toYaml } from 'yaml';
import { NotFound } from '../components/not-found.js';
import type { Listed, Meta } from '../components/types.js';
import { tenantPath, type ConsoleCtx, type ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';

interface Version {
  version: string;
  parameters?: Record<string, unknown> | undefined;
  manifests: string | unknown[];
}
type Property = { type?: string; default?: unknown; description?: string };

function Parameters({ schema }: { schema: Record<string, unknown> | undefined }) {
  const props = Object.entries((schema?.properties ?? {}) as Record<string, Property>);
  if (props.length === 0) return <p>No parameter schema: any values are accepted.</p>;
  return (
    <div class="table-scroll">
      <table>
      <caption>Parameters</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Default</th><th scope="col">Description</th></tr></thead>
      <tbody>
        {props.map(([name, p]) => (
          <tr><th scope="row">{name}</th><td>{p.type ?? 'any'}</td><td><code>{p.default === undefined ? '—' : JSON.stringify(p.default)}</code></td><td>{p.description ?? ''}</td></tr>
        ))}
      </tbody>
      </table>
    </div>
  );
}

/** One template's versions, newest first: each one's parameters and manifests, read-only. */
function TemplatePage({ ctx, name, versions, catalog }: { ctx: ConsoleCtx; name: string; versions: Version[]; catalog: boolean }) {
  return (
    <Page ctx={ctx} title={`${name}${catalog ? ' (catalog)' : ''}`} section="Templates">
      {versions.length === 0 && <p>No versions yet.</p>}
      {versions.map((v, i) => (
        <details open={i === 0}>
          <summary>{`Version ${v.version}`}</summary>
          <Parameters schema={v.parameters} />
          <h3>Manifests</h3>
          <pre tabindex={0} aria-label={`Manifests of ${name} ${v.version}`}><code>{typeof v.manifests === 'string' ? v.manifests : toYaml(v.manifests)}</code></pre>
        </details>
      ))}
      <p><a href={tenantPath(ctx.tenant, '/templates')}>All templates</a></p>
    </Page>
  );
}

async function list(c: Context<ConsoleEnv>) {
  const ctx = c.get('console');
  const [own, catalog] = await Promise.all([
    ctx.api<Listed<{ metadata: Meta; spec: { description?: string; category?: string } }>>('GET', `/v1/tenants/${ctx.tenant}/templates?limit=100`),
    ctx.api<{ items: { name: string; description: string; category: string; versions: Version[] }[] }>('GET', '/v1/catalog/templates'),
  ]);
  const link = (path: string, text: string) => <a href={tenantPath(ctx.tenant, path)}>{text}</a>;
  return c.html(
    <Page ctx={ctx} title="Templates" section="Templates">
      <div class="table-scroll">
        <table>
        <caption>Templates</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Category</th><th scope="col">Description</th></tr></thead>
        <tbody>
          {(own.body.items ?? []).length === 0 && <tr><td colspan={3}>This tenant has no templates of its own; the catalog’s are below.</td></tr>}
          {(own.body.items ?? []).map((t) => <tr><th scope="row">{link(`/templates/${encodeURIComponent(t.metadata.name)}`, t.metadata.name)}</th><td>{t.spec.category ?? ''}</td><td>{t.spec.description ?? ''}</td></tr>)}
        </tbody>
        </table>
      </div>
      <div class="table-scroll">
        <table>
        <caption>Catalog</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Category</th><th scope="col">Versions</th><th scope="col">Description</th></tr></thead>
        <tbody>
          {(catalog.body.items ?? []).map((t) => (
            <tr><th scope="row">{link(`/templates/catalog/${encodeURIComponent(t.name)}`, t.name)}</th><td>{t.category}</td><td>{t.versions.map((v) => v.version).join(', ')}</td><td>{t.description}</td></tr>
          ))}
        </tbody>
        </table>
      </div>
    </Page>,
  );
}

export function mountTemplates(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/templates', list);
  app.get('/t/:tenant/templates/catalog/:name', async (c) => {
    const ctx = c.get('console');
    const catalog = await ctx.api<{ items: { name: string; versions: Version[] }[] }>('GET', '/v1/catalog/templates');
    const t = (catalog.body.items ?? []).find((x) => x.name === c.req.param('name'));
    return t ? c.html(<TemplatePage ctx={ctx} name={t.name} versions={[...t.versions].reverse()} catalog />) : c.html(<NotFound />, 404);
  });
  app.get('/t/:tenant/templates/:name', async (c) => {
    const ctx = c.get('console');
    const name = c.req.param('name');
    const listed = await ctx.api<Listed<{ metadata: Meta; spec: Omit<Version, 'version'> }>>('GET', `/v1/tenants/${ctx.tenant}/templates/${encodeURIComponent(name)}/versions?limit=100`);
    if (listed.status === 404) return c.html(<NotFound />, 404);
    const versions = listed.body.items.map((v) => ({ version: v.metadata.name, ...v.spec }))
      .sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }));
    return c.html(<TemplatePage ctx={ctx} name={name} versions={versions} catalog={false} />);
  });
}
