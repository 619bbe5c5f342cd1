import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgePage, launchBrowser, openPage, signInWith, startConsoleUnderTest } from './support.js';

let browser: Browser;
let ui: Awaited<ReturnType<typeof startConsoleUnderTest>>;
beforeAll(async () => {
  [browser, ui] = await Promise.all([launchBrowser(), startConsoleUnderTest()]);
});
afterAll(async () => {
  await browser?.close();
  await ui?.cp.close();
});

describe('signing in, in Chromium', () => {
  it('refuses a wrong token with an alert, signs in with a right one and lands on the page first asked for', async () => {
    const page = await openPage(browser);
    await page.goto(`${ui.base}/console/t/acme/clusters?phase=Ready`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/console/sign-in');
    await judgePage(page, 'sign-in');
    await page.getByLabel('API token').fill('fp_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'not accepted' }).count()).toBe(1);

    await page.getByLabel('API token').fill(ui.tokens.viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/console\/t\/acme\/clusters\?phase=Ready$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Clusters');
    // the token is nowhere the page's scripts can read it
    const readable = await page.evaluate(() => [document.cookie, document.documentElement.outerHTML, JSON.stringify(localStorage), JSON.stringify(sessionStorage)].join('\n'));
    expect(readable).not.toContain(ui.tokens.viewer);
    await page.close();
  });

  it('signs out', async () => {
    const page = await openPage(browser);
    await signInWith(page, ui.base, ui.tokens.viewer);
    await page.waitForURL(/\/console\/t\/acme\/clusters$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/console\/sign-in/);
    await page.goto(`${ui.base}/console/t/acme/clusters`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.close();
  });
});
