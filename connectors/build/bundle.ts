/**
 * The connector as one ES module (dist/connector/main.mjs by default): what
 * `npm run connector` and the image run. Node 22 importing
 * @kubernetes/client-node as its ~1,500 modules sits at ~120 MiB RSS before
 * doing anything; its config and watch parts bundled, with the generated code
 * they never reach left out, cost ~16 MiB over a bare Node (43 MiB). The whole
 * connector holding 500 objects: ~70 MiB (`npx tsx bench/connector-memory.ts`).
 *
 *   npx tsx connectors/build/bundle.ts [--outfile F] [--metafile]
 */
import { build, type Plugin } from 'esbuild';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The library's generated API and model modules only define classes (their
 * top-level code builds type tables), so the ~700 the connector never reaches
 * can be left out; esbuild keeps them unless told they have no side effects.
 */
const generatedCodeIsPure: Plugin = {
  name: 'client-node-generated-code-is-pure',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === 'resolving' || !args.importer.includes('/@kubernetes/client-node/dist/')) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
      if (r.errors.length > 0 || !r.path.includes('/@kubernetes/client-node/dist/gen/')) return r.errors.length > 0 ? undefined : r;
      return { ...r, sideEffects: false };
    });
  },
};

const { values: args } = parseArgs({ options: { outfile: { type: 'string' }, metafile: { type: 'boolean' } } });
const outfile = args.outfile ?? here('../../dist/connector/main.mjs');

const result = await build({
  entryPoints: [here('../main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // smaller source to hold in memory; names kept, so stack traces stay readable
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: args.metafile === true,
  plugins: [generatedCodeIsPure],
  // node-fetch 2 (the library's transport) imports whatwg-url only as a fallback for
  // runtimes without a global URL; its Unicode tables cost ~4 MiB of RSS at start
  alias: { 'whatwg-url': here('whatwg-url.ts') },
  // CommonJS dependencies bundled into an ES module still call require() for Node built-ins
  banner: { js: "import { createRequire as __fpCreateRequire } from 'node:module'; const require = __fpCreateRequire(import.meta.url);" },
});
if (result.metafile) await writeFile(join(dirname(outfile), 'meta.json'), JSON.stringify(result.metafile));
