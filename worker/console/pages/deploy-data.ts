import type { ConsoleCtx } from '../context.js';
import type { AppSpecView } from '../components/types.js';

export interface VersionChoice {
  version: string;
  parameters: Record<string, unknown> | undefined;
}
export interface TemplateChoice {
  /** `catalog/NAME` or `tenant/NAME` */
  value: string;
  label: string;
  /** loaded for the chosen template only (a tenant's versions cost a call each) */
  versions?: VersionChoice[];
}

const semverDesc = (a: string, b: string) => b.localeCompare(a, 'en', { numeric: true });

/** The catalog's templates and the tenant's, the chosen one with its versions (newest first). */
export async function loadTemplates(ctx: ConsoleCtx, chosen: string | undefined) {
  const [catalog, own] = await Promise.all([
    ctx.api<{ items: { name: string; versions: VersionChoice[] }[] }>('GET', '/v1/catalog/templates'),
    ctx.api<{ items: { metadata: { name: string } }[] }>('GET', `/v1/tenants/${ctx.tenant}/templates?limit=100`),
  ]);
  const choices: TemplateChoice[] = [
    ...(own.ok ? own.body.items : []).map((t) => ({ value: `tenant/${t.metadata.name}`, label: t.metadata.name })),
    ...(catalog.ok ? catalog.body.items : []).map((t) => ({
      value: `catalog/${t.name}`, label: `${t.name} (catalog)`,
      versions: t.versions.map((v) => ({ version: v.version, parameters: v.parameters })).sort((a, b) => semverDesc(a.version, b.version)),
    })),
  ];
  const choice = choices.find((c) => c.value === chosen) ?? choices.find((c) => c.value === 'catalog/web') ?? choices[0];
  if (choice && !choice.versions) {
    const name = choice.value.slice('tenant/'.length);
    const listed = await ctx.api<{ items: { metadata: { name: string }; spec: { parameters?: Record<string, unknown> } }[] }>(
      'GET', `/v1/tenants/${ctx.tenant}/templates/${encodeURIComponent(name)}/versions?limit=100`);
    choice.versions = (listed.ok ? listed.body.items : []).map((v) => ({ version: v.metadata.name, parameters: v.spec.parameters }))
      .sort((a, b) => semverDesc(a.version, b.version));
  }
  return { choices, choice };
}

export const templateValue = (t: AppSpecView['template']) => `${t.catalog ? 'catalog' : 'tenant'}/${t.name}`;

/** How many clusters a placement selects now: counted through the clusters list, up to a cap. */
export async function countSelected(ctx: ConsoleCtx, selector: string): Promise<string> {
  let cursor: string | null = null;
  let n = 0;
  for (let page = 0; page < 10; page++) {
    const q = new URLSearchParams({ limit: '100' });
    if (selector.trim()) q.set('labelSelector', selector);
    if (cursor) q.set('cursor', cursor);
    const r = await ctx.api<{ items: unknown[]; nextCursor: string | null; detail?: string }>('GET', `/v1/tenants/${ctx.tenant}/clusters?${q}`);
    if (!r.ok) return `The selector cannot be read: ${r.body.detail ?? r.status}`;
    n += r.body.items.length;
    cursor = r.body.nextCursor;
    if (!cursor) return `Selects ${n} cluster${n === 1 ? '' : 's'} now.`;
  }
  return `Selects more than ${n} clusters now.`;
}
