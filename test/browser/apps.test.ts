import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCluster, startAgent, startCluster, until } from '../connector/support.js';
import { judgePage, launchBrowser, openPage, signInWith, startConsoleUnderTest } from './support.js';

let browser: Browser;
let ui: Awaited<ReturnType<typeof startConsoleUnderTest>>;
const clusters: Record<string, Awaited<ReturnType<typeof startCluster>>> = {};
const agents: ReturnType<typeof startAgent>[] = [];

beforeAll(async () => {
  [browser, ui] = await Promise.all([launchBrowser(), startConsoleUnderTest()]);
  for (const name of ['eu-1', 'us-1']) {
    const c = (clusters[name] = await startCluster({ readyDelayMs: 300 }));
    const { values, env } = await installCluster(ui.cp, c.kube, 'acme', name);
    const a = startAgent({ url: ui.base, joinToken: values.FLEETPLANE_JOIN_TOKEN, kube: c.kube, namespace: env.FLEETPLANE_NAMESPACE, secretName: env.FLEETPLANE_SECRET_NAME });
    agents.push(a);
    await until(`${name} registered`, () => a.agent.ready);
  }
}, 60_000);
afterAll(async () => {
  for (const a of agents) await a.agent.close();
  for (const c of Object.values(clusters)) await c.close();
  await browser?.close();
  await ui?.cp.close();
});

/** Tab (only the keyboard) until the element with this id has focus. */
async function tabTo(page: Page, id: string) {
  for (let i = 0; i < 120; i++) {
    if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}
/** Tab to the button with this text and press Enter on it. */
async function pressButton(page: Page, text: string) {
  for (let i = 0; i < 120; i++) {
    const here = await page.evaluate(() => (document.activeElement instanceof HTMLButtonElement ? document.activeElement.textContent?.trim() : undefined));
    if (here === text) return page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached the button ${text}`);
}
async function typeInto(page: Page, id: string, text: string) {
  await tabTo(page, id);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { mark?: number }).mark === 1);

describe('deploying and following an app, in Chromium', () => {
  let page: Page;

  it('deploys the catalog web template with an override for one cluster, by keyboard alone: plan, deploy, Ready as reports arrive', async () => {
    page = await openPage(browser);
    await signInWith(page, ui.base, ui.tokens.operator);
    await page.waitForURL(/\/clusters$/);
    await page.goto(`${ui.base}/console/t/acme/apps`);
    await judgePage(page, 'apps');
    await page.getByRole('link', { name: 'Deploy app' }).click();
    await page.waitForURL(/\/apps\/new$/);
    await judgePage(page, 'deploy');
    expect(await page.getByLabel('Template').inputValue()).toBe('catalog/web');

    await typeInto(page, 'deploy-name', 'shop');
    await typeInto(page, 'deploy-namespace', 'shop');
    await typeInto(page, 'deploy-placement', 'env=test');
    await expect.poll(() => page.locator('#placement-count').textContent()).toBe('Selects 2 clusters now.');
    await typeInto(page, 'param-replicas', '1');
    await typeInto(page, 'ov-0-clusters', 'us-1');
    await typeInto(page, 'ov-0-values', 'replicas: 3');
    await pressButton(page, 'Plan');
    await page.getByRole('table', { name: 'Plan' }).waitFor();
    expect(await page.getByRole('table', { name: 'Plan' }).textContent()).toContain('create');
    await judgePage(page, 'deploy-plan');

    await pressButton(page, 'Deploy');
    await page.waitForURL(/\/apps\/shop$/);
    await mark(page);
    const table = page.getByRole('table', { name: 'Clusters' });
    await expect.poll(async () => (await table.getByText('Ready', { exact: true }).count()), { timeout: 20_000 }).toBe(2);
    expect(await marked(page)).toBe(true); // no reload: the feed swapped the rows in
    await judgePage(page, 'app');
    const spec = (await ui.cp.api('GET', '/v1/tenants/acme/apps/shop')).body.spec;
    expect(spec.values).toEqual({ replicas: 1 });
    expect(spec.overrides).toEqual([{ clusters: ['us-1'], values: { replicas: 3 } }]);
    expect(clusters['us-1']!.server.store.get('apps/v1', 'Deployment', 'shop', 'shop').spec.replicas).toBe(3);
    expect(clusters['eu-1']!.server.store.get('apps/v1', 'Deployment', 'shop', 'shop').spec.replicas).toBe(1);
  }, 120_000);

  it('shows a failing resource’s message on the app page as it happens', async () => {
    clusters['us-1']!.server.controller.fail('Deployment', 'shop', 'shop', 'ImagePullBackOff: Back-off pulling image "nginx:nope"');
    await expect.poll(() => page.getByText(/ImagePullBackOff: Back-off pulling image "nginx:nope"/).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.getByText(/ImagePullBackOff/).first().isVisible()).toBe(true);
    expect(await marked(page)).toBe(true);
    await judgePage(page, 'app-failing');
    clusters['us-1']!.server.controller.makeReady('Deployment', 'shop', 'shop');
  }, 60_000);

  it('rolls back from the revisions list after showing the plan diff', async () => {
    expect((await ui.cp.api('PUT', '/v1/tenants/acme/apps/shop', { spec: { ...(await ui.cp.api('GET', '/v1/tenants/acme/apps/shop')).body.spec, values: { replicas: 4 } } })).status).toBe(200);
    await page.reload();
    await page.getByRole('table', { name: 'Revisions' }).getByRole('button', { name: 'Roll back to revision 1' }).click();
    await page.getByRole('table', { name: 'Rollback plan' }).waitFor();
    expect(await page.locator('pre.diff').first().textContent()).toContain('replicas: 4');
    await judgePage(page, 'rollback');
    await page.getByRole('button', { name: 'Confirm rollback' }).click();
    await page.waitForURL(/\/apps\/shop$/);
    const app = (await ui.cp.api('GET', '/v1/tenants/acme/apps/shop')).body;
    expect(app.metadata.generation).toBe(3);
    expect(app.spec.values).toEqual({ replicas: 1 });
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.waitForURL(/\/apps\/shop\/edit$/);
    expect(await page.locator('#param-replicas').inputValue()).toBe('1');
    await judgePage(page, 'app-edit');
    await page.close();
  }, 60_000);

  it('shows a viewer no control that changes anything, and the server refuses its forged POST', async () => {
    const viewer = await openPage(browser);
    await signInWith(viewer, ui.base, ui.tokens.viewer);
    await viewer.waitForURL(/\/clusters$/);
    for (const path of ['/clusters', '/apps', '/apps/shop', '/clusters/eu-1']) {
      await viewer.goto(`${ui.base}/console/t/acme${path}`);
      for (const name of ['Add cluster', 'Deploy app', 'Roll back', 'Resume', 'Delete', 'Save', 'Edit', 'Revoke']) {
        expect(await viewer.getByRole('button', { name }).count(), `${name} on ${path}`).toBe(0);
        expect(await viewer.getByRole('link', { name, exact: true }).count(), `${name} on ${path}`).toBe(0);
      }
    }
    const forged = await viewer.request.post(`${ui.base}/console/t/acme/apps/shop/rollback`, { form: { revision: '1' }, headers: { origin: ui.base }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('role="alert"');
    expect((await ui.cp.api('GET', '/v1/tenants/acme/apps/shop')).body.metadata.generation).toBe(3);
    await viewer.close();
  }, 60_000);
});
