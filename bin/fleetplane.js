#!/usr/bin/env node
// The CLI (cli/main.ts), run from a bundle kept fresh in dist/: it starts in about half the time tsx takes,
// which a kubectl call through the gateway pays each time it asks this command for a credential.
import { runFresh } from './fresh-bundle.js';

await runFresh('cli/main.ts', 'dist/cli/fleetplane.mjs');
