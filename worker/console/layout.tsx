import type { Child } from 'hono/jsx';
import { ASSETS } from './assets.gen.js';
import type { ConsoleCtx } from './context.js';
import { tenantPath } from './context.js';

/** Each file's served name, found once: the names carry their version or content hash. */
const asset = (prefix: string, ext: string) => {
  const name = Object.keys(ASSETS).find((n) => n.startsWith(prefix) && n.endsWith(ext));
  if (!name) throw new Error(`console asset ${prefix}*${ext} is missing: run npm run console:assets`);
  return `/console/assets/${name}`;
};
const CSS = [asset('pico-', '.css'), asset('console.', '.css')];
const JS = [asset('htmx-2', '.js'), asset('htmx-ext-sse-', '.js'), asset('console.', '.js')];

// htmx may not inject styles or evaluate text (the CSP forbids both), and keeps no page copies in localStorage
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, selfRequestsOnly: true, historyCacheSize: 0,
});

export const SECTIONS = ['Clusters', 'Apps', 'Templates', 'Namespaces', 'Events', 'Webhooks', 'Settings'] as const;
export type Section = (typeof SECTIONS)[number];

function Head({ title }: { title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <meta name="htmx-config" content={HTMX_CONFIG} />
      <title>{`${title} · Fleetplane`}</title>
      {CSS.map((href) => <link rel="stylesheet" href={href} />)}
      {JS.map((src) => <script src={src} defer></script>)}
    </head>
  );
}

/** A page outside a tenant (sign-in, errors). */
export function BarePage({ title, children }: { title: string; children: Child }) {
  return (
    <html lang="en">
      <Head title={title} />
      <body>
        <main class="container">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

function Banner({ ctx }: { ctx: ConsoleCtx }) {
  return (
    <header class="container banner">
      <strong>Fleetplane</strong>
      <span>
        Tenant: <strong>{ctx.tenant}</strong> <small>({ctx.role})</small>
      </span>
      {ctx.tenants && (
        <form method="get" action="/console/switch">
          <label for="tenant-switch">Tenant</label>
          <select id="tenant-switch" name="tenant">
            {ctx.tenants.map((t) => <option value={t} selected={t === ctx.tenant}>{t}</option>)}
          </select>
          <button type="submit" class="secondary">Switch</button>
        </form>
      )}
      <form method="post" action="/console/sign-out">
        <button type="submit" class="outline">Sign out</button>
      </form>
    </header>
  );
}

/**
 * A tenant's page: banner, sections, one main whose h1 names the page. The main
 * element holds the tenant's live feed; fragments inside it that carry
 * `hx-trigger="sse:Cluster"` (or App, Namespace) are fetched again when such objects change.
 */
export function Page({ ctx, title, section, children }: { ctx: ConsoleCtx; title: string; section: Section; children: Child }) {
  return (
    <html lang="en">
      <Head title={title} />
      <body>
        <Banner ctx={ctx} />
        <nav class="container sections" aria-label="Sections">
          <ul>
            {SECTIONS.map((s) => (
              <li>
                <a href={tenantPath(ctx.tenant, `/${s.toLowerCase()}`)} aria-current={s === section ? 'page' : undefined}>{s}</a>
              </li>
            ))}
          </ul>
        </nav>
        <main class="container" hx-ext="sse" sse-connect={tenantPath(ctx.tenant, '/live')}>
          <h1>{title}</h1>
          <div id="console-alert" role="alert"></div>
          {children}
        </main>
      </body>
    </html>
  );
}
