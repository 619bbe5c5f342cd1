import type { KindDef, Resource } from './kinds.js';

type Column = [header: string, value: (r: Resource, template?: string) => string];

const labels = (r: Resource) => Object.entries(r.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';
const s = (v: unknown) => (v === undefined || v === null || v === '' ? '-' : String(v));
const summary = (r: Resource) => {
  const sum = r.status?.summary as { clusters?: number; ready?: number } | undefined;
  return sum ? `${sum.ready ?? 0}/${sum.clusters ?? 0}` : '-';
};

/** The newest attempt: its status (or that none came) and its number. */
const lastDelivery = (r: Resource) => {
  const d = (r.status?.deliveries as { statusCode: number | null; attempt: number; at: string }[] | undefined)?.[0];
  return d ? `${d.statusCode ?? 'no answer'} (attempt ${d.attempt}, ${d.at})` : '-';
};

const COLUMNS: Record<KindDef['kind'], Column[]> = {
  Cluster: [
    ['NAME', (r) => r.metadata.name], ['PHASE', (r) => s(r.status?.phase)], ['KUBERNETES', (r) => s(r.status?.kubernetesVersion)],
    ['NODES', (r) => s(r.status?.nodeCount)], ['LABELS', labels],
  ],
  Template: [['NAME', (r) => r.metadata.name], ['CATEGORY', (r) => s(r.spec.category)], ['DESCRIPTION', (r) => s(r.spec.description)]],
  TemplateVersion: [['TEMPLATE', (_r, t) => s(t)], ['VERSION', (r) => r.metadata.name], ['OBJECTS', (r) => s(r.status?.objects)]],
  Namespace: [['NAME', (r) => r.metadata.name], ['PHASE', (r) => s(r.status?.phase)], ['READY', summary], ['LABELS', labels]],
  App: [
    ['NAME', (r) => r.metadata.name],
    ['TEMPLATE', (r) => { const t = r.spec.template as { name?: string; version?: string } | undefined; return t ? `${t.name}@${t.version}` : '-'; }],
    ['NAMESPACE', (r) => s(r.spec.namespace)], ['PHASE', (r) => s(r.status?.phase)], ['READY', summary],
  ],
  Webhook: [
    ['NAME', (r) => r.metadata.name], ['URL', (r) => s(r.spec.url)],
    ['EVENTS', (r) => ((r.spec.events as string[] | undefined)?.length ? (r.spec.events as string[]).join(',') : '<all>')],
    ['LAST DELIVERY', lastDelivery],
  ],
};

/** The width of each column: its widest cell. */
export const widthsOf = (rows: string[][]) => rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));

/** Cells padded to the widths, three spaces apart; the last column is left ragged. */
export const padded = (rows: string[][], widths: number[]) =>
  rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]! + 3))).join(''));

/** Rows under headers, columns padded to their widest cell. */
export function table(kind: KindDef, rows: { resource: Resource; template?: string }[]): string[] {
  const cols = COLUMNS[kind.kind];
  const cells = [cols.map(([h]) => h), ...rows.map(({ resource, template }) => cols.map(([, f]) => f(resource, template)))];
  return padded(cells, widthsOf(cells));
}
