import { RenderPool } from '../../worker/node/render-pool/pool.js';
const pool = new RenderPool();
const cases: Record<string, unknown[]> = {
  b: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r' }, data: { $map: { $eval: 'range(0, 200000)' }, 'each(i)': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: { $eval: "'c' + str(i)" } } } } }],
  c: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r' }, data: { x: { $reduce: { $eval: 'range(0, 30)' }, initial: 'ab', 'each(acc, x)': { $eval: 'acc + acc' } } } }],
};
for (const [k, manifests] of Object.entries(cases)) {
  const t = performance.now();
  const r = await pool.renderApp({ shared: { template: { name: 't', version: '1', catalog: false, parameters: { type: 'object' }, manifests }, tenant: 'a', app: { name: 'x', namespace: 'd', deletionPolicy: 'Delete' }, values: {} }, targets: [{ cluster: { name: 'c', labels: {} }, overrides: [] }] });
  console.log(k, Math.round(performance.now() - t), 'ms', JSON.stringify(r).slice(0, 600));
}
await pool.close();
