/** The bare Hono routes (bench/bare-app.ts) in a process of their own, as the server measured beside them runs: see spawnBare. */
import { serve } from '@hono/node-server';
import { bareApp, HOST } from './bare-app.js';

const server = serve({ fetch: bareApp().fetch, port: 0, hostname: HOST }, (info) => process.send!(info.port));
process.on('message', () => server.close(() => process.exit(0)));
