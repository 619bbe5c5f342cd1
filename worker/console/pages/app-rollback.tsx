import type { Context, Hono } from 'hono';
import { atLeast } from '../../auth/roles.js';
import { PlanTable, type ClusterPlan } from '../components/plan.js';
import { ProblemAlert, type Problem } from '../components/problem.js';
import type { ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';
import { appApi, appPage, appView, type RevisionView } from './app.js';

/** Before a rollback, what it would do: the plan of that revision's spec, then a button that does it. */
async function preview(c: Context<ConsoleEnv>) {
  const ctx = c.get('console');
  const name = c.req.param('app')!;
  const wanted = Number(c.req.query('revision'));
  const revisions = await ctx.api<{ items: RevisionView[] }>('GET', `${appApi(ctx, name)}/revisions?limit=100`);
  if (!revisions.ok) return appView(c, revisions.body as never, revisions.status);
  const rev = revisions.body.items.find((r) => r.revision === wanted);
  if (!rev) return appView(c, { status: 404, detail: `${name} has no revision ${c.req.query('revision') ?? ''}.` }, 404);
  const plan = await ctx.api<{ clusters: ClusterPlan[] }>('POST', `${appApi(ctx, name)}/plan`, { spec: rev.spec });
  return c.html(
    <Page ctx={ctx} title={`Roll back ${name} to revision ${wanted}`} section="Apps">
      {plan.ok ? <PlanTable clusters={plan.body.clusters} caption="Rollback plan" /> : <ProblemAlert problem={plan.body as unknown as Problem} />}
      {atLeast(ctx.role, 'operator') && plan.ok && (
        <form method="post" action={appPage(ctx, name, '/rollback')}>
          <input type="hidden" name="revision" value={String(wanted)} />
          <button type="submit">Confirm rollback</button>
        </form>
      )}
      <p><a href={appPage(ctx, name)}>Back to {name}</a></p>
    </Page>,
  );
}

export function mountAppRollback(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/apps/:app/rollback', preview);
  app.post('/t/:tenant/apps/:app/rollback', async (c) => {
    const ctx = c.get('console');
    const form = await c.req.parseBody();
    const r = await ctx.api('POST', `${appApi(ctx, c.req.param('app'))}/rollback`, { revision: Number(form.revision) });
    return r.ok ? c.redirect(appPage(ctx, c.req.param('app')), 303) : appView(c, r.body, r.status);
  });
}
