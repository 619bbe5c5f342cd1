import type { Context, Hono } from 'hono';
import { atLeast, type Role } from '../../auth/roles.js';
import { Ago } from '../components/ago.js';
import { Field, formOf } from '../components/form.js';
import { Pager } from '../components/pager.js';
import { pathErrorsAt, ProblemAlert, type Problem } from '../components/problem.js';
import { SecretOnce } from '../components/secret-once.js';
import type { Listed, Meta } from '../components/types.js';
import { tenantPath, type ConsoleCtx, type ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';

const ROLES: Role[] = ['viewer', 'operator', 'admin', 'owner'];
interface TokenView { metadata: Meta; spec: { role: Role; description: string }; status: { expiresAt: string | null; createdBy: string } }
interface MemberView { metadata: Meta; spec: { role: Role } }
interface AuditView { id: string; time: string; actor: { kind: string; id: string }; action: string; object: { kind: string; name: string } }

const settings = (ctx: ConsoleCtx, rest = '') => tenantPath(ctx.tenant, `/settings${rest}`);

const RoleSelect = ({ id, value }: { id: string; value?: string | undefined }) => (
  <>
    <label for={id}>Role</label>
    <select id={id} name="role">{ROLES.map((r) => <option value={r} selected={r === (value ?? 'viewer')}>{r}</option>)}</select>
  </>
);

interface Extra { problem?: Problem | undefined; minted?: string | undefined; form?: Record<string, string> }

async function settingsPage(c: Context<ConsoleEnv>, extra: Extra = {}, status = 200) {
  const ctx = c.get('console');
  if (!atLeast(ctx.role, 'owner')) {
    return c.html(<Page ctx={ctx} title="Settings" section="Settings"><p role="alert">Only the tenant’s owners see its members, tokens and audit log; your role is {ctx.role}.</p></Page>, 403);
  }
  const base = `/v1/tenants/${ctx.tenant}`;
  const cursor = ctx.url.searchParams.get('cursor');
  const [members, tokens, audit] = await Promise.all([
    ctx.api<Listed<MemberView>>('GET', `${base}/members?limit=100`),
    ctx.api<Listed<TokenView>>('GET', `${base}/tokens?limit=100`),
    ctx.api<Listed<AuditView>>('GET', `${base}/audit-events?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  ]);
  const confirm = ctx.url.searchParams.get('revoke');
  const now = c.get('deps').now();
  const form = extra.form ?? {};
  return c.html(
    <Page ctx={ctx} title="Settings" section="Settings">
      <ProblemAlert problem={extra.problem} />
      {extra.minted && <SecretOnce id="new-token" label="The new API token" value={extra.minted} />}
      <h2>Members</h2>
      <div class="table-scroll">
        <table>
        <caption>Members</caption>
        <thead><tr><th scope="col">Subject</th><th scope="col">Role</th></tr></thead>
        <tbody>
          {(members.body.items ?? []).length === 0 && <tr><td colspan={2}>No members: people sign in with single sign-on once added here.</td></tr>}
          {(members.body.items ?? []).map((m) => <tr><th scope="row">{m.metadata.name}</th><td>{m.spec.role}</td></tr>)}
        </tbody>
        </table>
      </div>
      <form method="post" action={settings(ctx, '/members')}>
        <div class="grid">
          <div><Field id="member-subject" label="Subject" name="subject" value={form.subject} problem={extra.problem} pointer="/subject" hint="the OIDC sub claim" required /></div>
          <div><RoleSelect id="member-role" value={form.role} /></div>
        </div>
        <button type="submit" class="secondary">Save member</button>
      </form>
      <h2>API tokens</h2>
      <div class="table-scroll">
        <table>
        <caption>Tokens</caption>
        <thead><tr><th scope="col">Description</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {(tokens.body.items ?? []).map((t) => (
            <tr>
              <th scope="row">{t.spec.description || t.metadata.name}</th>
              <td>{t.spec.role}</td>
              <td><Ago at={t.metadata.createdAt} now={now} /></td>
              <td>{t.status.expiresAt ?? 'never'}</td>
              <td>
                {confirm === t.metadata.name
                  ? <form method="post" action={settings(ctx, `/tokens/${encodeURIComponent(t.metadata.name)}/revoke`)} class="inline-form"><button type="submit" class="contrast">Confirm revoke</button></form>
                  : <a href={settings(ctx, `?revoke=${encodeURIComponent(t.metadata.name)}`)} aria-label={`Revoke ${t.spec.description || t.metadata.name}`}>Revoke</a>}
              </td>
            </tr>
          ))}
        </tbody>
        </table>
      </div>
      <form method="post" action={settings(ctx, '/tokens')}>
        <div class="grid">
          <div><Field id="token-description" label="Description" name="description" value={form.description} problem={extra.problem} pointer="/spec/description" required /></div>
          <div><RoleSelect id="token-role" value={form.role} /></div>
        </div>
        <button type="submit" class="secondary">Create token</button>
      </form>
      <h2>Audit log</h2>
      <div class="table-scroll">
        <table>
        <caption>Audit log</caption>
        <thead><tr><th scope="col">Time</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Object</th></tr></thead>
        <tbody>
          {(audit.body.items ?? []).map((a) => (
            <tr><td><Ago at={a.time} now={now} /></td><td>{`${a.actor.kind} ${a.actor.id}`}</td><td>{a.action}</td><td>{`${a.object.kind} ${a.object.name}`}</td></tr>
          ))}
        </tbody>
        </table>
      </div>
      <Pager url={ctx.url} nextCursor={audit.body.nextCursor} label="Audit log" />
    </Page>,
    status as 200,
  );
}

export function mountSettings(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/settings', (c) => settingsPage(c));
  app.post('/t/:tenant/settings/tokens', async (c) => {
    const ctx = c.get('console');
    const form = await formOf(c);
    const r = await ctx.api<{ token: string }>('POST', `/v1/tenants/${ctx.tenant}/tokens`, { spec: { role: form.role, description: form.description ?? '' } });
    // the token is in this answer only: shown now, and never again
    return r.ok ? settingsPage(c, { minted: r.body.token }, 201) : settingsPage(c, { problem: r.body as never, form }, r.status);
  });
  app.post('/t/:tenant/settings/tokens/:id/revoke', async (c) => {
    const ctx = c.get('console');
    const r = await ctx.api('DELETE', `/v1/tenants/${ctx.tenant}/tokens/${encodeURIComponent(c.req.param('id'))}`);
    return r.ok ? c.redirect(settings(ctx), 303) : settingsPage(c, { problem: r.body }, r.status);
  });
  app.post('/t/:tenant/settings/members', async (c) => {
    const ctx = c.get('console');
    const form = await formOf(c);
    const r = await ctx.api('PUT', `/v1/tenants/${ctx.tenant}/members/${encodeURIComponent((form.subject ?? '').trim())}`, { spec: { role: form.role } });
    if (r.ok) return c.redirect(settings(ctx), 303);
    return settingsPage(c, { problem: pathErrorsAt(r.body as Problem, '/subject'), form }, r.status);
  });
}
