/**
 * `npm run bench:render-pool`: one app's fan-out rendered inline (the Workers
 * way) and through the Node render pool, side by side, for 1,000 and 10,000
 * clusters whose template reads `cluster` (every render distinct). Prints the
 * wall time, renders per second and the longest the event loop was blocked
 * meanwhile (what heartbeats and other tenants would have waited).
 *
 * Tunable: BENCH_CLUSTERS (comma list, "1000,10000"), BENCH_ROUNDS (3).
 */
import { RenderPool } from '../worker/node/render-pool/pool.js';
import { inlineRenderer, type RenderBatch, type Renderer } from '../worker/rendering/renderer.js';

const sizes = (process.env.BENCH_CLUSTERS ?? '1000,10000').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

/** A Deployment and a ConfigMap, both naming the cluster: what a per-region app looks like. */
const manifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${app.name}
spec:
  replicas:
    $eval: values.replicas
  selector:
    matchLabels:
      app: \${app.name}
  template:
    metadata:
      labels:
        app: \${app.name}
        cluster: \${cluster.name}
    spec:
      containers:
        - name: web
          image: \${values.image}
          env:
            - name: REGION
              value: \${cluster.labels.region}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: \${app.name}-config
data:
  cluster: \${cluster.name}
  greeting: hello from \${cluster.labels.region}
`;

const batch = (n: number): RenderBatch => ({
  shared: {
    template: { name: 'web', version: '1.0.0', catalog: false, parameters: { type: 'object' }, manifests },
    tenant: 'bench',
    app: { name: 'shop', namespace: 'prod', deletionPolicy: 'Delete' },
    values: { replicas: 3, image: 'nginx:1.27' },
  },
  targets: Array.from({ length: n }, (_, k) => ({ cluster: { name: `c-${k}`, labels: { region: `r-${k % 17}` } }, overrides: [] })),
});

async function measure(renderer: Renderer, b: RenderBatch) {
  // a 1 ms ticker: the longest gap between its ticks is the longest the loop could not serve anyone
  let last = performance.now();
  let blockedMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    blockedMs = Math.max(blockedMs, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 2));
  const started = performance.now();
  const results = await renderer.renderApp(b);
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 2));
  clearInterval(ticker);
  if (results.some((r) => !r.ok)) throw new Error('a render failed');
  return { ms, blockedMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pool = new RenderPool();
await measure(pool, batch(pool.size * 4)); // the render processes start on first use; measure them running
await measure(inlineRenderer, batch(100));

console.log(`render fan-out, one app, template reads cluster (median of ${rounds}); pool: ${pool.size} processes`);
console.log('clusters  renderer  wall ms  renders/s  longest event-loop block ms');
for (const n of sizes) {
  const b = batch(n);
  for (const [name, r] of [['inline', inlineRenderer], ['pool', pool]] as const) {
    const runs = [];
    for (let k = 0; k < rounds; k++) runs.push(await measure(r, b));
    const ms = median(runs.map((x) => x.ms));
    const blocked = median(runs.map((x) => x.blockedMs));
    console.log(`${String(n).padStart(8)}  ${name.padEnd(8)}  ${ms.toFixed(0).padStart(7)}  ${(n / (ms / 1000)).toFixed(0).padStart(9)}  ${blocked.toFixed(1).padStart(8)}`);
  }
}
await pool.close();
