/**
 * How quickly the render budget stops hostile templates, and how much of it
 * the catalog uses: `npx tsx bench/render-budget.ts` (or `npm run bench:render-budget`).
 * Prints, per template, the time to the verdict and the limit that stopped it.
 */
import { CATALOG } from '../worker/catalog/index.js';
import { defaultsOf, renderApp, type TemplateSource } from '../worker/render/index.js';

const cm = (data: unknown) => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r' }, data }];
const range = (n: number) => ({ $eval: `range(0, ${n})` });
const hostile: Record<string, unknown[]> = {
  'range(0, 50000000)': cm(range(50_000_000)),
  '$map over range(0, 200000)': cm({ $map: range(200_000), 'each(i)': 'x' }),
  '$reduce doubling a string': cm({ s: { $reduce: range(30), initial: 'ab', 'each(acc, x)': { $eval: 'acc + acc' } } }),
  '$map 100k x range 100k': cm({ $map: range(100_000), 'each(i)': range(100_000) }),
  'nested $reduce, 10^10 additions': cm({ s: { $reduce: range(100_000), initial: 0, 'each(acc, x)': { $reduce: range(100_000), initial: 0, 'each(a, y)': { $eval: 'a + 1' } } } }),
  '[acc] 90,000 deep': cm({ s: { $reduce: range(90_000), initial: [], 'each(acc, x)': { $eval: '[acc]' } } }),
  'one array shared 90,000 times': cm({ $let: { a: range(90_000) }, in: { $let: { b: { $map: range(90_000), 'each(i)': { $eval: 'a' } } }, in: { x: { $eval: 'b' } } } }),
};

function time(template: TemplateSource, values: Record<string, unknown>) {
  const started = performance.now();
  const r = renderApp({ template, tenant: 't', app: { name: 'a', namespace: 'n', deletionPolicy: 'Delete' }, cluster: { name: 'c', labels: {} }, values, overrides: [] });
  return { ms: performance.now() - started, verdict: r.ok ? `ok, ${r.objects.length} objects` : r.errors[0]!.message.replace(/^.*render budget exceeded: /, '') };
}

console.log('hostile templates (time to the verdict, the limit named):');
for (const [name, manifests] of Object.entries(hostile)) {
  const { ms, verdict } = time({ name: 'h', version: '1.0.0', catalog: false, parameters: {}, manifests }, {});
  console.log(`  ${name.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${verdict}`);
}
console.log('catalog templates with their defaults:');
for (const t of CATALOG) {
  for (const v of t.versions) {
    const { ms, verdict } = time({ name: t.name, catalog: true, ...v }, defaultsOf(v.parameters));
    console.log(`  ${`${t.name}@${v.version}`.padEnd(34)} ${ms.toFixed(1).padStart(6)} ms  ${verdict}`);
  }
}
