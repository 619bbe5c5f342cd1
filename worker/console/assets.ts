import type { Context } from 'hono';
import { ASSETS } from './assets.gen.js';

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** The console's scripts and styles; their names carry a version or a content hash, so they are cached for good. */
export function serveAsset(c: Context) {
  const name = c.req.param('name') ?? '';
  const text = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (text === undefined) return c.text('no such asset', 404);
  return c.body(text, 200, {
    'Content-Type': TYPES[name.split('.').pop()!] ?? 'application/octet-stream',
    'Cache-Control': 'public, max-age=31536000, immutable',
  });
}
