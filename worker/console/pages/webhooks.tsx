import type { Context, Hono } from 'hono';
import { atLeast } from '../../auth/roles.js';
import { Ago } from '../components/ago.js';
import { Field, formOf } from '../components/form.js';
import { NotFound } from '../components/not-found.js';
import { createRefused, ProblemAlert, type Problem } from '../components/problem.js';
import { SecretOnce } from '../components/secret-once.js';
import type { Listed, Meta } from '../components/types.js';
import { tenantPath, type ConsoleCtx, type ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';

interface Delivery { id: string; type: string; attempt: number; statusCode: number | null; error?: string; at: string }
interface WebhookView { metadata: Meta; spec: { url: string; events: string[]; secret?: string }; status: { deliveries: Delivery[] } }

const api = (ctx: ConsoleCtx, name = '') => `/v1/tenants/${ctx.tenant}/webhooks${name ? `/${encodeURIComponent(name)}` : ''}`;
const here = (ctx: ConsoleCtx, name = '', q = '') => tenantPath(ctx.tenant, `/webhooks${name ? `/${encodeURIComponent(name)}` : ''}${q}`);

function CreateForm({ ctx, form, problem }: { ctx: ConsoleCtx; form: Record<string, string>; problem?: Problem | undefined }) {
  return (
    <form method="post" action={here(ctx)}>
      <h2>Add a webhook</h2>
      <Field id="hook-name" label="Name" name="name" value={form.name} problem={problem} pointer="/name" required />
      <Field id="hook-url" label="URL" name="url" type="url" value={form.url} problem={problem} pointer="/spec/url" required />
      <Field id="hook-events" label="Events" name="events" value={form.events} problem={problem} pointer="/spec/events"
        hint="Reasons separated by commas (ClusterPhaseChanged, AppPhaseChanged, RolloutPaused, ...); empty sends every event." />
      <button type="submit">Add webhook</button>
    </form>
  );
}

async function listPage(c: Context<ConsoleEnv>, extra: { problem?: Problem; form?: Record<string, string> } = {}, status = 200) {
  const ctx = c.get('console');
  const listed = await ctx.api<Listed<WebhookView>>('GET', `${api(ctx)}?limit=100`);
  return c.html(
    <Page ctx={ctx} title="Webhooks" section="Webhooks">
      <ProblemAlert problem={extra.problem ?? (listed.ok ? undefined : listed.body as never)} />
      <div class="table-scroll">
        <table>
        <caption>Webhooks</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">URL</th><th scope="col">Events</th></tr></thead>
        <tbody>
          {(listed.body.items ?? []).length === 0 && <tr><td colspan={3}>No webhooks.</td></tr>}
          {(listed.body.items ?? []).map((w) => (
            <tr><th scope="row"><a href={here(ctx, w.metadata.name)}>{w.metadata.name}</a></th><td>{w.spec.url}</td><td>{w.spec.events.join(', ') || 'every event'}</td></tr>
          ))}
        </tbody>
        </table>
      </div>
      {atLeast(ctx.role, 'admin') && <CreateForm ctx={ctx} form={extra.form ?? {}} problem={extra.problem} />}
    </Page>,
    status as 200,
  );
}

function WebhookPage({ ctx, w, now, secret, confirm, problem }: { ctx: ConsoleCtx; w: WebhookView; now: Date; secret?: string | undefined; confirm: boolean; problem?: Problem | undefined }) {
  const name = w.metadata.name;
  return (
    <Page ctx={ctx} title={name} section="Webhooks">
      <ProblemAlert problem={problem} />
      {secret && <SecretOnce id="webhook-secret" label="The signing secret" value={secret} />}
      <dl class="facts"><dt>URL</dt><dd>{w.spec.url}</dd><dt>Events</dt><dd>{w.spec.events.join(', ') || 'every event'}</dd></dl>
      {atLeast(ctx.role, 'admin') && (confirm
        ? (
          <section aria-label="Confirm">
            <p role="alert">Deleting the webhook stops its deliveries, pending retries included.</p>
            <form method="post" action={here(ctx, name, '/delete')} class="inline-form"><button type="submit" class="contrast">Confirm delete</button></form>{' '}
            <a href={here(ctx, name)}>Cancel</a>
          </section>
        )
        : <p><a role="button" class="outline contrast" href={here(ctx, name, '?confirm=delete')}>Delete</a></p>)}
      <div class="table-scroll">
        <table>
        <caption>Deliveries</caption>
        <thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Attempt</th><th scope="col">Answer</th></tr></thead>
        <tbody>
          {w.status.deliveries.length === 0 && <tr><td colspan={4}>Nothing sent yet.</td></tr>}
          {w.status.deliveries.map((d) => (
            <tr><td><Ago at={d.at} now={now} /></td><td>{d.type}</td><td>{d.attempt}</td><td class="message">{d.statusCode ?? 'no answer'}{d.error ? ` — ${d.error}` : ''}</td></tr>
          ))}
        </tbody>
        </table>
      </div>
    </Page>
  );
}

async function webhookPage(c: Context<ConsoleEnv>, problem?: Problem, status = 200) {
  const ctx = c.get('console');
  const got = await ctx.api<WebhookView>('GET', api(ctx, c.req.param('name')));
  if (got.status === 404) return c.html(<NotFound />, 404);
  return c.html(<WebhookPage ctx={ctx} w={got.body} now={c.get('deps').now()} confirm={c.req.query('confirm') === 'delete'} problem={problem} />, status as 200);
}

export function mountWebhooks(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/webhooks', (c) => listPage(c));
  app.post('/t/:tenant/webhooks', async (c) => {
    const ctx = c.get('console');
    const form = await formOf(c);
    const events = (form.events ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const put = await ctx.api<WebhookView>('PUT', api(ctx, (form.name ?? '').trim()), { spec: { url: form.url ?? '', events } }, { 'if-none-match': '*' });
    if (!put.ok) {
      const { problem, status } = createRefused(put, 'A webhook');
      return listPage(c, { problem, form }, status);
    }
    // the secret is in this answer only: shown now, as the POST's answer, and never again
    return c.html(<WebhookPage ctx={ctx} w={put.body} now={c.get('deps').now()} secret={put.body.spec.secret} confirm={false} />, 201);
  });
  app.get('/t/:tenant/webhooks/:name', (c) => webhookPage(c));
  app.post('/t/:tenant/webhooks/:name/delete', async (c) => {
    const ctx = c.get('console');
    const r = await ctx.api('DELETE', api(ctx, c.req.param('name')));
    return r.ok ? c.redirect(here(ctx), 303) : webhookPage(c, r.body, r.status);
  });
}
