import type { Context, Hono } from 'hono';
import { atLeast } from '../../auth/roles.js';
import { Field, formOf, parseLabels } from '../components/form.js';
import { createRefused, ProblemAlert, type Problem } from '../components/problem.js';
import { tenantPath, type ConsoleCtx, type ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';
import { mintJoin } from './cluster-join.js';

interface Form {
  name: string;
  labels: string;
}

function NewCluster({ ctx, form, problem, labelErrors = [] }: { ctx: ConsoleCtx; form: Form; problem?: Problem | undefined; labelErrors?: string[] }) {
  const allowed = atLeast(ctx.role, 'admin');
  return (
    <Page ctx={ctx} title="Add cluster" section="Clusters">
      <ProblemAlert problem={problem} />
      {!allowed && <p role="alert">Only a tenant’s admins and owners add clusters; your role is {ctx.role}.</p>}
      {allowed && (
        <form method="post" action={tenantPath(ctx.tenant, '/clusters/new')}>
          <Field id="cluster-name" label="Name" name="name" value={form.name} problem={problem} pointer="/name" required
            hint="Lower case letters, digits and dashes, as a Kubernetes name." />
          <Field id="cluster-labels" label="Labels" name="labels" value={form.labels} problem={problem} pointer="/metadata/labels" messages={labelErrors}
            hint="key=value, separated by commas; apps choose clusters by them." placeholder="env=prod, region=eu" />
          <button type="submit">Create and get command</button>
        </form>
      )}
      <p><a href={tenantPath(ctx.tenant, '/clusters')}>Back to clusters</a></p>
    </Page>
  );
}

async function create(c: Context<ConsoleEnv>) {
  const ctx = c.get('console');
  const raw = await formOf(c);
  const form = { name: (raw.name ?? '').trim(), labels: raw.labels ?? '' };
  const { labels, bad } = parseLabels(form.labels);
  if (bad.length > 0) {
    return c.html(<NewCluster ctx={ctx} form={form} labelErrors={bad.map((b) => `“${b}” is not key=value.`)} />, 400);
  }
  // If-None-Match: * — adding never rewrites a cluster that already has the name
  const put = await ctx.api('PUT', `/v1/tenants/${ctx.tenant}/clusters/${encodeURIComponent(form.name)}`, { metadata: { labels }, spec: {} }, { 'if-none-match': '*' });
  if (!put.ok) {
    const { problem, status } = createRefused(put, 'A cluster');
    return c.html(<NewCluster ctx={ctx} form={form} problem={problem} />, status as 400);
  }
  const joined = await mintJoin(ctx, form.name);
  if (joined.page) return c.html(joined.page, 201);
  return c.html(<NewCluster ctx={ctx} form={form} problem={joined.problem} />, joined.status as 400);
}

export function mountClusterNew(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/clusters/new', (c) => c.html(<NewCluster ctx={c.get('console')} form={{ name: '', labels: '' }} />));
  app.post('/t/:tenant/clusters/new', create);
}
