import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { applyInstallManifest, startAgent, startCluster, startControlPlane } from '../connector/support.js';

/** Debian's Chromium (installed by .ci/run when missing); no browser is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    // root in a container has no user namespace for the sandbox
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking'],
  });

/** A page in a context of its own (its own cookies; axe-core needs a context it can open pages in). */
export async function openPage(browser: Browser, viewport: { width: number; height: number } = VIEWPORTS.desktop): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  // the browser may be closed first (afterAll): a context already gone is no error
  page.once('close', () => void context.close().catch(() => {}));
  return page;
}

export const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const SCHEMES = ['light', 'dark'] as const;

/** Where `npm run console:screenshots` wants the pictures; unset, none are taken. */
const SHOTS = process.env.FP_SCREENSHOTS;

/**
 * Judges the page as it stands, in both themes: axe-core finds no serious or
 * critical violation, and (under `npm run console:screenshots`) each theme is
 * photographed at desktop and phone sizes as docs/console/<name>-<theme>-<size>.png.
 */
export async function judgePage(page: Page, name: string) {
  const viewport = page.viewportSize();
  for (const colorScheme of SCHEMES) {
    // reduced motion: Pico's colour transitions would otherwise be caught half-way after the switch
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    const results = await new AxeBuilder({ page }).analyze();
    const grave = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const told = grave.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n  ')}`);
    expect(told, `axe on ${name}, ${colorScheme}`).toEqual([]);
    if (SHOTS) {
      await mkdir(SHOTS, { recursive: true });
      for (const [size, vp] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(vp);
        await page.screenshot({ path: join(SHOTS, `${name}-${colorScheme}-${size}.png`), fullPage: true });
      }
      if (viewport) await page.setViewportSize(viewport);
    }
  }
  await page.emulateMedia({ colorScheme: null });
}

/** Signs in through the form, as a person does. */
export async function signInWith(page: Page, base: string, token: string) {
  await page.goto(`${base}/console/sign-in`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The real Node server (PGlite, or the machine's Postgres under that project), a tenant and a token per role. */
export async function startConsoleUnderTest(tenant = 'acme') {
  const cp = await startControlPlane();
  await cp.api('PUT', `/v1/tenants/${tenant}`, { spec: { displayName: tenant } });
  const tokens = {} as Record<'owner' | 'admin' | 'operator' | 'viewer', string>;
  for (const role of ['owner', 'admin', 'operator', 'viewer'] as const) {
    const made = await cp.api('POST', `/v1/tenants/${tenant}/tokens`, { spec: { role, description: `browser ${role}` } });
    if (made.status !== 201) throw new Error(`token ${role}: ${made.status} ${JSON.stringify(made.body)}`);
    tokens[role] = made.body.token;
  }
  return { cp, tenant, tokens, base: cp.url };
}

/**
 * What an operator does with the console's join command on a cluster: the
 * manifest behind `kubectl apply -f URL` applied to a fake API server, and the
 * real connector started with the manifest's values.
 */
export async function joinWithCommand(base: string, command: string) {
  const url = /kubectl apply -f (\S+)/.exec(command)?.[1];
  if (!url) throw new Error(`no kubectl apply -f URL in: ${command}`);
  const cluster = await startCluster({ readyDelayMs: 50 });
  const { values, env } = await applyInstallManifest(base, cluster.kube, url);
  const connector = startAgent({
    url: values.FLEETPLANE_URL!.replace(/^https?:\/\/[^/]+/, base), joinToken: values.FLEETPLANE_JOIN_TOKEN,
    kube: cluster.kube, namespace: env.FLEETPLANE_NAMESPACE, secretName: env.FLEETPLANE_SECRET_NAME,
  });
  return {
    cluster, connector,
    close: async () => {
      await connector.agent.close();
      await cluster.close();
    },
  };
}
