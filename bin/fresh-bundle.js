// @ts-check
/**
 * An ES module bundle of a TypeScript entry, made with esbuild on first use and
 * made again whenever a file it was built from changed. The bundle's first line
 * holds a hash of each of those files' contents, as esbuild read them (not
 * their modification times, which a checkout or an edit during the build
 * leaves behind). A check reads and hashes each of them: about 3 ms for the
 * CLI's 30 files, 30 ms for the server's 316. Packages stay outside the
 * bundle: Node resolves them from node_modules as the sources would. A source
 * map lies beside it (`OUT.map`), for stack traces that name the sources.
 *
 * Plain JavaScript: it runs before anything that could load TypeScript, which
 * is the cost it saves.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MARK = '// fresh-bundle inputs: ';
/** Settings that change what esbuild makes of the same sources. */
const SETTINGS = ['tsconfig.json'];

/** @param {string} text */
const hashOf = (text) => createHash('sha256').update(text).digest('base64url');

/** @param {string} file @returns {string | undefined} */
function firstLine(file) {
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const end = text.indexOf('\n');
    return end < 0 ? undefined : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the bundle at `out` was built from the files under `root` as they are now.
 * @param {string} root @param {string} out
 */
export function isFresh(root, out) {
  const line = firstLine(out);
  if (!line?.startsWith(MARK)) return false;
  /** @type {Record<string, string>} */
  let inputs;
  try {
    inputs = JSON.parse(line.slice(MARK.length));
  } catch {
    return false;
  }
  for (const [file, hash] of Object.entries(inputs)) {
    let text;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      return false;
    }
    if (hashOf(text) !== hash) return false;
  }
  return true;
}

/**
 * Builds `entry` (relative to `root`) into `out`. The file appears whole or
 * not at all (written aside, then renamed): processes starting together may
 * each build, and none runs half a bundle.
 * @param {string} root @param {string} entry @param {string} out
 */
export async function build(root, entry, out) {
  const esbuild = await import('esbuild');
  /** @type {Record<string, string>} */
  const inputs = {};
  for (const s of SETTINGS) {
    try {
      inputs[s] = hashOf(readFileSync(join(root, s), 'utf8'));
    } catch {
      // no such settings file: esbuild reads none either
    }
  }
  const result = await esbuild.build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    outfile: out,
    // stack traces name the sources' files and lines, as they did through tsx (see runFresh)
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'silent',
    plugins: [{
      name: 'hash-inputs',
      setup(b) {
        // the text hashed is the text built: an edit landing mid-build makes the bundle stale, never wrongly fresh
        b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
          if (args.path.includes('/node_modules/')) return undefined;
          const contents = readFileSync(args.path, 'utf8');
          inputs[relative(root, args.path)] = hashOf(contents);
          const ext = args.path.slice(args.path.lastIndexOf('.') + 1);
          return { contents, loader: /** @type {'ts' | 'js' | 'tsx' | 'jsx'} */ (ext.replace(/^[cm]/, '')) };
        });
      },
    }],
  });
  const code = result.outputFiles.find((f) => f.path === out)?.text ?? '';
  const map = JSON.parse(result.outputFiles.find((f) => f.path === `${out}.map`)?.text ?? '{"mappings":""}');
  // the line put in front of the code: its mappings start one generated line later
  map.mappings = `;${map.mappings}`;
  mkdirSync(dirname(out), { recursive: true });
  // the map first: a bundle is never there without its own
  writeWhole(`${out}.map`, JSON.stringify(map));
  writeWhole(out, `${MARK}${JSON.stringify(inputs)}\n${code}`);
}

/** @param {string} file @param {string} text */
function writeWhole(file, text) {
  const aside = `${file}.${process.pid}`;
  try {
    writeFileSync(aside, text);
    renameSync(aside, file);
  } catch (err) {
    rmSync(aside, { force: true });
    throw err;
  }
}

/**
 * Imports `entry` from a fresh bundle at `out` (both relative to `root`),
 * building it first when needed. Resolves false, having imported nothing,
 * when it cannot build or write one (no esbuild, a read-only directory):
 * the caller then runs the sources another way.
 * @param {string} root @param {string} entry @param {string} out
 */
export async function importFresh(root, entry, out) {
  const file = resolve(root, out);
  if (!isFresh(root, file)) {
    try {
      await build(root, entry, file);
    } catch {
      return false;
    }
  }
  await import(pathToFileURL(file).href);
  return true;
}

/**
 * Runs the project's TypeScript `entry` from a fresh bundle at `out` (both
 * relative to the project), or through tsx where none can be made; source
 * maps on either way.
 * @param {string} entry @param {string} out
 */
export async function runFresh(entry, out) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.setSourceMapsEnabled(true);
  if (await importFresh(root, entry, out)) return;
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, entry)).href);
}
