/**
 * `npm run dev:worker`: the Workers build in workerd (`wrangler dev --local`) on
 * any Postgres, taking the environment `npm start` takes and printing the same
 * lines. It starts what the Neon driver needs locally (a WebSocket-to-TCP pipe),
 * applies the migrations, and stops its helpers when it stops.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openNodePostgres } from '../../db/node-postgres.js';
import { ConfigError, parseEnv } from '../../worker/env.js';
import { adminTokenFromDataDir, signingKeyFromDataDir } from '../../worker/node/data-dir.js';
import { startCronTicker } from './cron.js';
import { envFile, devWorkerVars } from './vars.js';
import { startWrangler } from './wrangler.js';
import { startWsPipe, type WsPipe } from './ws-pipe.js';

async function migrate(url: string) {
  const { pool, migrate } = openNodePostgres(url, 1);
  try {
    await migrate();
  } finally {
    await pool.end();
  }
}

// FLEETPLANE_DEV_VARS names another file than ./.dev.vars (empty: none), so tests never read a developer's
const vars = devWorkerVars(process.env, process.env.FLEETPLANE_DEV_VARS ?? '.dev.vars');
const stops: (() => Promise<void>)[] = [];
let forgetToken: (() => Promise<void>) | undefined;
let stopping = false;
const stopAll = async () => {
  stopping = true;
  for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
};

const shutdown = () => void stopAll().then(() => forgetToken?.()).then(() => process.exit(0));
// installed first: Ctrl-C while it starts must stop wrangler too, which runs in a process group of its own
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, shutdown);
// whoever read our output is gone (a closed pipe: EPIPE on the next line relayed): as a hang-up, not a crash that leaves wrangler running
for (const out of [process.stdout, process.stderr]) {
  out.on('error', () => {
    if (!stopping) shutdown();
  });
}

try {
  const config = parseEnv(vars);
  if (!config.databaseUrl) {
    throw new ConfigError('invalid environment:\n  DATABASE_URL: required for dev:worker (any Postgres; set it in the environment or in .dev.vars)');
  }
  const dataDir = resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true });
  await migrate(config.databaseUrl).catch((err) => {
    throw new ConfigError(`cannot migrate the database at DATABASE_URL: ${err instanceof Error ? err.message : err}`);
  });

  let pipe: WsPipe | undefined;
  if (!config.neonWsProxy) {
    pipe = await startWsPipe();
    stops.push(pipe.close);
    vars.FLEETPLANE_NEON_WS_PROXY = pipe.proxy;
  }
  // as `npm start`: keys and a generated admin token (of which only the hash is kept) live in the data directory
  vars.FLEETPLANE_SIGNING_KEY = JSON.stringify(JSON.parse(config.signingKey ?? (await signingKeyFromDataDir(dataDir))));
  let generated: string | undefined;
  if (!config.adminToken && !config.adminTokenSha256) {
    const admin = await adminTokenFromDataDir(dataDir);
    vars.FLEETPLANE_ADMIN_TOKEN_SHA256 = admin.hash;
    generated = admin.generated;
    // a start that fails before printing the token must not keep a hash nobody has the token of
    if (generated) forgetToken = () => rm(join(dataDir, 'admin-token.sha256'), { force: true });
  }
  delete vars.PORT;
  delete vars.FLEETPLANE_DATA_DIR;

  const file = join(dataDir, 'dev-worker.env');
  await writeFile(file, envFile(vars), { mode: 0o600 });
  const workerd = startWrangler({
    host: process.env.HOST ?? '127.0.0.1',
    port: config.port,
    envFile: file,
    stateDir: join(dataDir, 'workerd'),
  });
  stops.push(workerd.stop);
  // and should this process end without stopping it (killed, crashed), wrangler's group must not outlive it
  process.once('exit', () => {
    try {
      process.kill(-workerd.child.pid!, 'SIGTERM');
    } catch {
      // already stopped
    }
  });
  const url = await workerd.ready;
  stops.push(startCronTicker(url));

  console.log(`listening on ${url}`);
  if (generated) console.log(`admin token: ${generated}`);
  forgetToken = undefined;

  // wrangler gone on its own (not stopped by us): the pipe goes too, and its exit code is ours
  workerd.child.once('exit', (code) => {
    if (!stopping) void stopAll().then(() => process.exit(code ?? 1));
  });
} catch (err) {
  await stopAll();
  await forgetToken?.();
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
