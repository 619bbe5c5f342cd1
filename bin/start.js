#!/usr/bin/env node
// `npm start`: the control plane (worker/node/main.ts), run from a bundle kept fresh in dist/, as a
// deployment runs built code; it starts about a second sooner than through tsx. Each process of
// FLEETPLANE_PROCESSES runs this file again, and finds the bundle fresh.
import { runFresh } from './fresh-bundle.js';

await runFresh('worker/node/main.ts', 'dist/node/main.mjs');
