import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's directory: the nearest one holding package.json above this
 * code, whether it runs from its sources or from a bundle in dist/ (`npm
 * start`, bin/start.js), where paths relative to the module would differ.
 */
function projectRoot(): string {
  const from = dirname(fileURLToPath(import.meta.url));
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

let root: string | undefined;

/** A path in the project, e.g. projectPath('migrations'). */
export const projectPath = (...parts: string[]) => join((root ??= projectRoot()), ...parts);
