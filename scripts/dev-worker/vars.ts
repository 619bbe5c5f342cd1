import { existsSync, readFileSync } from 'node:fs';
import { parseEnv as parseDotenv } from 'node:util';
import { ENV_KEYS } from '../../worker/env.js';

/**
 * The worker's variables: `.dev.vars` (wrangler's file) as defaults, the
 * environment on top, as `npm start` reads it. Only the control plane's own
 * variables are taken from the environment, so the shell's PATH or HOME never
 * reach the worker.
 */
export function devWorkerVars(env: NodeJS.ProcessEnv, file: string): Record<string, string> {
  const vars = (file && existsSync(file) ? { ...parseDotenv(readFileSync(file, 'utf8')) } : {}) as Record<string, string>;
  for (const key of ENV_KEYS) {
    if (key === 'FLEETPLANE_PROCESSES') continue; // Node's processes; Workers scale on their own
    const value = env[key];
    if (value !== undefined) vars[key] = value;
  }
  return vars;
}

/** The variables as an env file wrangler reads (`--env-file`): one line each, single-quoted, so nothing in them is expanded. */
export function envFile(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => {
      if (/['\n\r]/.test(v)) throw new Error(`${k}: a value for dev:worker must be one line without single quotes`);
      return `${k}='${v}'\n`;
    })
    .join('');
}
