import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgePage, launchBrowser, openPage, signInWith, startConsoleUnderTest, VIEWPORTS } from './support.js';

let browser: Browser;
let ui: Awaited<ReturnType<typeof startConsoleUnderTest>>;
beforeAll(async () => {
  [browser, ui] = await Promise.all([launchBrowser(), startConsoleUnderTest()]);
  await ui.cp.api('PUT', '/v1/tenants/acme/clusters/edge-1', { metadata: { labels: { env: 'prod' } }, spec: {} });
  await ui.cp.api('PUT', '/v1/tenants/acme/namespaces/shop', { spec: { placement: { selector: { matchLabels: { env: 'prod' } } }, quota: { cpu: '2', pods: 20 } } });
  await ui.cp.api('PUT', '/v1/tenants/acme/webhooks/ops', { spec: { url: 'https://hooks.example.com/in', events: [] } });
});
afterAll(async () => {
  await browser?.close();
  await ui?.cp.close();
});

describe('every other page, in Chromium', () => {
  it('has one h1 naming the page, the sections, and no serious or critical axe violation, at desktop and phone sizes', async () => {
    for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.phone]) {
      const page = await openPage(browser, viewport);
      await signInWith(page, ui.base, ui.tokens.owner);
      await page.waitForURL(/\/clusters$/);
      const pages: [string, string, string][] = [
        ['cluster', '/clusters/edge-1', 'edge-1'],
        ['templates', '/templates', 'Templates'],
        ['template', '/templates/catalog/web', 'web (catalog)'],
        ['namespaces', '/namespaces', 'Namespaces'],
        ['events', '/events', 'Events'],
        ['webhooks', '/webhooks', 'Webhooks'],
        ['webhook', '/webhooks/ops', 'ops'],
        ['settings', '/settings', 'Settings'],
      ];
      for (const [name, path, h1] of pages) {
        await page.goto(`${ui.base}/console/t/acme${path}`);
        expect(await page.getByRole('heading', { level: 1 }).textContent(), path).toBe(h1);
        expect(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').count()).toBe(7);
        // the screenshots are taken once, at the desktop size (judgePage takes both sizes)
        if (viewport === VIEWPORTS.desktop) await judgePage(page, name);
        else expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${path} fits a phone`).toBe(true);
      }
      await page.close();
    }
  }, 120_000);
});
