import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinWithCommand, judgePage, launchBrowser, openPage, signInWith, startConsoleUnderTest } from './support.js';

let browser: Browser;
let ui: Awaited<ReturnType<typeof startConsoleUnderTest>>;
const closing: (() => Promise<void>)[] = [];
beforeAll(async () => {
  [browser, ui] = await Promise.all([launchBrowser(), startConsoleUnderTest()]);
});
afterAll(async () => {
  for (const close of closing) await close();
  await browser?.close();
  await ui?.cp.close();
});

describe('adding a cluster, in Chromium', () => {
  it('creates it, copies its command, and its phase turns Ready without a reload when the connector joins', async () => {
    const page = await openPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.base });
    await signInWith(page, ui.base, ui.tokens.admin);
    await page.waitForURL(/\/clusters$/);
    await judgePage(page, 'clusters');
    // a second tab on the clusters list, which must turn Ready too
    const list = await openPage(browser);
    await signInWith(list, ui.base, ui.tokens.viewer);
    await list.waitForURL(/\/clusters$/);

    await page.getByRole('button', { name: 'Add cluster' }).click();
    await judgePage(page, 'cluster-new');
    await page.getByLabel('Name').fill('edge-1');
    await page.getByLabel('Labels').fill('env=prod, region=eu');
    await page.getByRole('button', { name: 'Create and get command' }).click();
    const code = page.locator('code', { hasText: 'kubectl apply -f' });
    await code.waitFor();
    const command = (await code.textContent())!.trim();
    expect(command).toMatch(/^kubectl apply -f https?:\/\/\S+$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(command);
    await judgePage(page, 'cluster-join');

    // nothing reloads either page: a mark set now must still be there when Ready shows
    for (const p of [page, list]) await p.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
    await list.reload(); // the list before the join shows the new cluster, not yet Ready
    await list.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
    const row = list.getByRole('row').filter({ has: list.getByRole('link', { name: 'edge-1' }) });
    expect(await row.textContent()).not.toContain('Ready');

    const joined = await joinWithCommand(ui.base, command);
    closing.push(joined.close);
    await expect.poll(() => page.getByText('Ready', { exact: true }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await row.textContent()) ?? '', { timeout: 15_000 }).toContain('Ready');
    for (const p of [page, list]) expect(await p.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
    await list.close();
    await page.close();
  }, 90_000);
});
