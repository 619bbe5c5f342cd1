import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

let source: Promise<string> | undefined;

/**
 * The render thread as one CommonJS script, built once per process from the
 * TypeScript sources: a worker thread started by tsx (`npm start`) or by
 * vitest does not inherit their TypeScript loader, and a bundle runs under
 * either. It holds the renderer as it is, budget and all.
 */
export function threadSource(): Promise<string> {
  source ??= build({
    entryPoints: [fileURLToPath(new URL('./thread.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  }).then((r) => r.outputFiles[0]!.text);
  source.catch(() => (source = undefined));
  return source;
}
