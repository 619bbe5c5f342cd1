import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../../db/project-path.js';

let script: Promise<string> | undefined;

/**
 * The render process as one CommonJS script, built once per server from the
 * TypeScript sources and written to the temp directory: a process started
 * by tsx or vitest does not inherit their TypeScript loader, and a bundle
 * runs beside either, and beside `npm start`'s own bundle. It holds the
 * renderer as it is, budget and all. Returns the script's path.
 */
export function childScript(): Promise<string> {
  script ??= (async () => {
    const r = await build({
      entryPoints: [projectPath('worker/node/render-pool/child.ts')],
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      write: false,
      logLevel: 'warning',
    });
    const text = r.outputFiles[0]!.text;
    const dir = join(tmpdir(), 'fleetplane-render');
    await mkdir(dir, { recursive: true });
    // named by content: servers built from other sources never share a script
    const file = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.cjs`);
    // written whole, then renamed: a server starting beside this one never reads half a script
    await writeFile(`${file}.${process.pid}`, text);
    await rename(`${file}.${process.pid}`, file);
    return file;
  })();
  script.catch(() => (script = undefined));
  return script;
}
