import { RenderPool } from '../../worker/node/render-pool/pool.js';
import { budgetErrors } from '../../worker/domain/templates/check-budget.js';
const pool = new RenderPool();
const cases: Record<string, unknown[]> = {
  a: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r' }, data: { $eval: 'range(0, 50000000)' } }],
  b: [{ $map: { $eval: 'range(0, 200000)' }, 'each(i)': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: { $eval: "'c' + str(i)" } } } }],
  c: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r' }, data: { x: { $reduce: { $eval: 'range(0, 30)' }, initial: 'ab', 'each(x, acc)': { $eval: 'acc + acc' } } } }],
  ok: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r' }, data: { x: '${cluster.name}' } }],
};
for (const [k, manifests] of Object.entries(cases)) {
  const t = performance.now();
  const e = await budgetErrors(pool, 'acme', 't', '1.0.0', { manifests });
  console.log(k, Math.round(performance.now() - t), 'ms', JSON.stringify(e).slice(0, 300));
}
await pool.close();
