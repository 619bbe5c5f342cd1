import type { Context, Hono } from 'hono';
import { atLeast } from '../../auth/roles.js';
import { SelectorError } from '../../lib/label-selector.js';
import { validateValues } from '../../render/validate-values.js';
import { Field, formOf } from '../components/form.js';
import { NotFound } from '../components/not-found.js';
import { OverrideRows, overridesOf, rowOf, rowsFromForm, type OverrideRow } from '../components/overrides.js';
import { selectorOfText, selectorText } from '../components/placement.js';
import { PlanTable, type ClusterPlan } from '../components/plan.js';
import { createRefused, pathErrorsAt, ProblemAlert, type Problem } from '../components/problem.js';
import { SchemaForm, valuesFromForm } from '../components/schema-form.js';
import type { AppSpecView, AppView } from '../components/types.js';
import { tenantPath, type ConsoleCtx, type ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';
import { countSelected, loadTemplates, templateValue, type TemplateChoice } from './deploy-data.js';

/** What the form holds between round trips. */
interface DeployState {
  template: string;
  version: string;
  name: string;
  namespace: string;
  placement: string;
  values: Record<string, unknown>;
  overrides: OverrideRow[];
  /** edit: the app's ETag when the form was opened (If-Match) */
  etag?: string | undefined;
}

interface View {
  ctx: ConsoleCtx;
  state: DeployState;
  choices: TemplateChoice[];
  choice: TemplateChoice | undefined;
  editing: boolean;
  count: string;
  problem?: Problem | undefined;
  plan?: ClusterPlan[] | undefined;
}

const COUNT_ID = 'placement-count';

function DeployForm(v: View) {
  const { ctx, state, choice, editing, problem } = v;
  const may = atLeast(ctx.role, 'operator');
  const action = editing ? tenantPath(ctx.tenant, `/apps/${encodeURIComponent(state.name)}/edit`) : tenantPath(ctx.tenant, '/apps/new');
  const version = choice?.versions?.find((x) => x.version === state.version) ?? choice?.versions?.[0];
  return (
    <Page ctx={ctx} title={editing ? `Edit ${state.name}` : 'Deploy an app'} section="Apps">
      <ProblemAlert problem={problem} />
      {!may && <p role="alert">Deploying needs the operator role or above; your role is {ctx.role}.</p>}
      <form method="post" action={action}>
        {state.etag && <input type="hidden" name="etag" value={state.etag} />}
        <div class="grid">
          <div>
            <label for="deploy-template">Template</label>
            <select id="deploy-template" name="template">
              {v.choices.map((c) => <option value={c.value} selected={c.value === choice?.value}>{c.label}</option>)}
            </select>
          </div>
          <div>
            <label for="deploy-version">Version</label>
            <select id="deploy-version" name="version">
              {(choice?.versions ?? []).map((x) => <option value={x.version} selected={x.version === version?.version}>{x.version}</option>)}
            </select>
          </div>
        </div>
        <button type="submit" name="intent" value="choose" class="secondary">Show this template’s parameters</button>
        <div class="grid">
          <div>
            <Field id="deploy-name" label="Name" name="name" value={state.name} problem={problem} pointer="/name" required />
          </div>
          <div>
            <Field id="deploy-namespace" label="Namespace" name="namespace" value={state.namespace} problem={problem} pointer="/spec/namespace" required />
          </div>
        </div>
        <Field id="deploy-placement" label="Placement" name="placement" value={state.placement} problem={problem} pointer="/spec/placement"
          hint="A label selector such as env=prod,region in (eu,us); empty places the app on every cluster." />
        <p id={COUNT_ID} role="status" hx-get={tenantPath(ctx.tenant, '/apps/new/count')} hx-include="#deploy-placement" hx-trigger="input changed delay:400ms from:#deploy-placement"
          hx-target="this" hx-swap="innerHTML">{v.count}</p>
        <SchemaForm schema={version?.parameters} values={state.values} problem={problem} />
        <h2>Overrides</h2>
        <p>Per-cluster differences: the clusters named or selected get these values merged over the app’s.</p>
        <OverrideRows rows={state.overrides.length ? state.overrides : [{ clusters: '', selector: '', values: '' }]} problem={problem} />
        <button type="submit" name="intent" value="add-override" class="secondary">Add override</button>
        {may && (
          <div class="grid">
            <button type="submit" name="intent" value="plan" class="secondary">Plan</button>
            <button type="submit" name="intent" value="deploy">Deploy</button>
          </div>
        )}
      </form>
      {v.plan && <PlanTable clusters={v.plan} />}
    </Page>
  );
}

/** The spec the form describes, or the errors found before the API is asked. */
function specOf(state: DeployState, choice: TemplateChoice | undefined, base: AppSpecView | undefined, form: Record<string, string>, booleans: Set<string>) {
  const errors: { pointer: string; message: string; in?: string }[] = [];
  const version = choice?.versions?.find((x) => x.version === state.version);
  const { values, errors: read } = valuesFromForm(version?.parameters, form, booleans);
  errors.push(...read);
  state.values = values;
  if (version?.parameters && read.length === 0) errors.push(...validateValues(version.parameters, values, '/spec/values'));
  let selector: NonNullable<AppSpecView['placement']>['selector'] = {};
  try {
    selector = selectorOfText(state.placement);
  } catch (e) {
    if (!(e instanceof SelectorError)) throw e;
    errors.push({ pointer: '/spec/placement', message: e.message });
  }
  const ov = overridesOf(state.overrides);
  errors.push(...ov.errors);
  const [kind, name] = state.template.split('/') as [string, string];
  const spec: AppSpecView = {
    ...base,
    template: { name, version: state.version, ...(kind === 'catalog' ? { catalog: true } : {}) },
    namespace: state.namespace,
    values,
    placement: { ...(base?.placement?.clusters ? { clusters: base.placement.clusters } : {}), selector },
    overrides: ov.overrides,
  };
  return { spec, errors };
}

function stateFromForm(form: Record<string, string>, name: string | undefined): DeployState {
  return {
    template: form.template ?? '', version: form.version ?? '', name: (name ?? form.name ?? '').trim(),
    namespace: (form.namespace ?? '').trim(), placement: form.placement ?? '', values: {}, overrides: rowsFromForm(form), etag: form.etag,
  };
}

function stateOfApp(app: AppView, etag: string | undefined): DeployState {
  const s = app.spec;
  return {
    template: templateValue(s.template), version: s.template.version, name: app.metadata.name, namespace: s.namespace,
    placement: s.placement?.selector ? selectorText(s.placement.selector) : '', values: s.values ?? {},
    overrides: (s.overrides ?? []).map(rowOf), etag,
  };
}

async function render(c: Context<ConsoleEnv>, state: DeployState, editing: boolean, extra: Partial<View> = {}, status = 200) {
  const ctx = c.get('console');
  const { choices, choice } = await loadTemplates(ctx, state.template);
  if (choice && !choice.versions?.some((x) => x.version === state.version)) state.version = choice.versions?.[0]?.version ?? '';
  if (choice) state.template = choice.value;
  const count = await countSelected(ctx, state.placement);
  return c.html(<DeployForm ctx={ctx} state={state} choices={choices} choice={choice} editing={editing} count={count} {...extra} />, status as 200);
}

async function submit(c: Context<ConsoleEnv>, editing: boolean) {
  const ctx = c.get('console');
  const form = await formOf(c);
  // the names of the boolean fields shown (an unchecked box sends nothing: false, not absent)
  const booleans = new Set([(await c.req.parseBody({ all: true })).booleans ?? []].flat().filter((b): b is string => typeof b === 'string'));
  const state = stateFromForm(form, editing ? c.req.param('app') : undefined);
  const intent = form.intent ?? 'plan';
  if (intent === 'choose') return render(c, state, editing);
  if (intent === 'add-override') {
    state.overrides.push({ clusters: '', selector: '', values: '' });
    // keep the parameters as typed: read them with the chosen version's schema
    const { choice } = await loadTemplates(ctx, state.template);
    specOf(state, choice, undefined, form, booleans);
    return render(c, state, editing);
  }
  const { choice } = await loadTemplates(ctx, state.template);
  const base = editing ? (await ctx.api<AppView>('GET', `/v1/tenants/${ctx.tenant}/apps/${encodeURIComponent(state.name)}`)).body?.spec : undefined;
  const { spec, errors } = specOf(state, choice, base, form, booleans);
  if (errors.length > 0) return render(c, state, editing, { problem: { status: 400, detail: 'Some fields need another look.', errors } }, 400);
  const path = `/v1/tenants/${ctx.tenant}/apps/${encodeURIComponent(state.name)}`;
  if (intent === 'plan') {
    const plan = await ctx.api<{ clusters: ClusterPlan[] }>('POST', `${path}/plan`, { spec });
    return plan.ok ? render(c, state, editing, { plan: plan.body.clusters }) : render(c, state, editing, { problem: pathErrorsAt(plan.body as never, '/name') }, plan.status);
  }
  const condition: Record<string, string> = editing ? (state.etag ? { 'if-match': state.etag } : {}) : { 'if-none-match': '*' };
  const put = await ctx.api('PUT', path, { spec }, condition);
  if (put.ok) return c.redirect(tenantPath(ctx.tenant, `/apps/${encodeURIComponent(state.name)}`), 303);
  if (put.status === 412 && editing) {
    return render(c, state, editing, { problem: { status: 409, detail: 'The app was changed meanwhile. Open the app again to edit its newest spec.' } }, 409);
  }
  const { problem, status } = createRefused(put, 'An app');
  return render(c, state, editing, { problem }, status);
}


export function mountDeploy(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/apps/new', (c) => {
    const q = (n: string) => c.req.query(n) ?? '';
    return render(c, { template: q('template'), version: q('version'), name: '', namespace: '', placement: '', values: {}, overrides: [] }, false);
  });
  app.get('/t/:tenant/apps/new/count', async (c) => c.text(await countSelected(c.get('console'), c.req.query('placement') ?? '')));
  app.post('/t/:tenant/apps/new', (c) => submit(c, false));
  app.get('/t/:tenant/apps/:app/edit', async (c) => {
    const got = await c.get('console').api<AppView>('GET', `/v1/tenants/${c.get('console').tenant}/apps/${encodeURIComponent(c.req.param('app'))}`);
    if (got.status === 404) return c.html(<NotFound />, 404);
    return render(c, stateOfApp(got.body, got.headers.get('etag') ?? undefined), true);
  });
  app.post('/t/:tenant/apps/:app/edit', (c) => submit(c, true));
}
