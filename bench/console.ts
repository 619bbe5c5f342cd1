/**
 * `npm run bench:console`: the console's pages on a fleet of 10,000 clusters
 * (BENCH_CONSOLE_CLUSTERS), with one app placed on all of them, on the Node
 * server with Postgres running in its own process.
 *
 *   server   the time to the whole HTML of a page (sequential requests, BENCH_CONSOLE_RUNS each):
 *            the clusters page (first page, and 20 pages deep by following "Next page"),
 *            the apps page, the app's page (its clusters table paged from the server);
 *   browser  Chromium's first contentful paint of the same pages (a fresh page each run).
 * Target: first paint under 1 s for each (issue 15).
 */
import { chromium } from 'playwright-core';
import { call, expectStatus } from './fixtures.js';
import { withSeededFleet } from './fleet-seed.js';
import { spawnFleetplane } from './servers.js';
import { percentile } from './stats.js';

const CLUSTERS = Number(process.env.BENCH_CONSOLE_CLUSTERS ?? 10_000);
const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? 10);
const TARGET_MS = 1000;

async function signIn(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/console/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  if (res.status !== 303) throw new Error(`sign-in: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

async function timed(url: string, cookie: string): Promise<{ ms: number; html: string; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  const html = await res.text();
  return { ms: performance.now() - t0, html, status: res.status };
}

const fmt = (xs: number[]) => `p50 ${percentile(Float64Array.from(xs).sort(), 50).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;

await withSeededFleet(CLUSTERS, spawnFleetplane, 'fleet', async ({ fp }) => {
  const base = `/v1/tenants/fleet`;
  const t0 = performance.now();
  await expectStatus(201, 'PUT app', call(fp.url, 'PUT', `${base}/apps/web`, fp.adminToken, {
    spec: { template: { name: 'web', version: '1.0.0', catalog: true }, namespace: 'web', values: {}, placement: { selector: {} } },
  }));
  console.error(`app placed on ${CLUSTERS} clusters in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const cookie = await signIn(fp.url, fp.adminToken);

  // 20 pages deep (fewer on a small fleet): the URL the 20th "Next page" link leads to
  const depth = Math.min(20, Math.ceil(CLUSTERS / 50) - 1);
  let deep = `${fp.url}/console/t/fleet/clusters`;
  for (let i = 0; i < depth; i++) {
    const { html } = await timed(deep, cookie);
    const next = /<a href="([^"]+)" rel="next">/.exec(html)?.[1];
    if (!next) throw new Error(`no "Next page" link on page ${i + 1}`);
    deep = `${fp.url}${next.replaceAll('&amp;', '&')}`;
  }
  const pages: [string, string][] = [
    ['clusters, first page', `${fp.url}/console/t/fleet/clusters`],
    [`clusters, page ${depth + 1}`, deep],
    ['apps', `${fp.url}/console/t/fleet/apps`],
    [`app (placed on ${CLUSTERS})`, `${fp.url}/console/t/fleet/apps/web`],
  ];

  const lines: string[] = [`console pages, ${CLUSTERS} clusters, ${RUNS} runs each (Node server with Postgres in its own process)`, ''];
  lines.push('| page | status | HTML served | first contentful paint | target < 1 s |', '|---|---|---|---|---|');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new', '--disable-gpu'] });
  try {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'fp_session', value: cookie.split('=').slice(1).join('='), url: `${fp.url}/console` }]);
    for (const [name, url] of pages) {
      const served: number[] = [];
      let status = 0;
      for (let i = 0; i < RUNS; i++) ({ ms: served[i], status } = await timed(url, cookie) as { ms: number; status: number });
      const paints: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'load' });
        // the paint entry may come after 'load': wait for it
        paints.push(await page.evaluate(() => new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const fcp = list.getEntriesByName('first-contentful-paint')[0];
            if (fcp) resolve(fcp.startTime);
          }).observe({ type: 'paint', buffered: true });
        })));
        await page.close();
      }
      const met = status === 200 && Math.max(...paints) < TARGET_MS ? 'MET' : 'MISSED';
      lines.push(`| ${name} | ${status} | ${fmt(served)} | ${fmt(paints)} | ${met} |`);
    }
  } finally {
    await browser.close();
  }
  console.log(lines.join('\n'));
});
