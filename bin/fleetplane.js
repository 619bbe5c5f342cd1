#!/usr/bin/env node
// The CLI (cli/main.ts), run from a bundle kept fresh in dist/: it starts in about half the time tsx takes,
// which a kubectl call through the gateway pays each time it asks this command for a credential. Where no
// bundle can be made, the sources run through tsx as before.
import { fileURLToPath } from 'node:url';
import { importFresh } from './fresh-bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!(await importFresh(root, 'cli/main.ts', 'dist/cli/fleetplane.mjs'))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
