import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context.js';

/**
 * The console's pages may not be framed (clickjacking), run no script or style
 * but their own files (no 'unsafe-inline', no 'unsafe-eval': htmx is told to
 * inject no styles and evaluate nothing), and are never cached.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // Pico draws its select arrows and checkmarks with data: SVGs
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  c.header('Content-Security-Policy', CSP);
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
});

/**
 * CSRF: every request that changes something must come from a page of this
 * origin. Browsers send `Origin` on every POST (forms and fetch alike); one
 * that is missing or foreign is refused before the session is even read. The
 * session cookie is also SameSite=Strict, so a cross-site request carries none.
 */
export const sameOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const origin = c.req.header('origin');
  const publicUrl = c.get('deps').publicUrl;
  const own = [new URL(c.req.url).origin, publicUrl ? new URL(publicUrl).origin : undefined];
  if (!origin || !own.includes(origin)) {
    return c.text('This request did not come from a Fleetplane page (its Origin is missing or foreign), so it was refused.', 403);
  }
  await next();
});
