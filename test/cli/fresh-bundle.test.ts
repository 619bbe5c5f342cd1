import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFresh } from '../../bin/fresh-bundle.js';
import { fleetplane } from './support.js';

const run = promisify(execFile);
const launcher = resolve('bin/fresh-bundle.js');

/** Runs importFresh in a Node of its own, as the bin does: its output, and whether it imported the bundle. */
async function launch(root: string) {
  const script = `process.setSourceMapsEnabled(true);
    const { importFresh } = await import(${JSON.stringify(launcher)});
    const ok = await importFresh(${JSON.stringify(root)}, 'src/main.ts', 'dist/main.mjs');
    if (!ok) console.log('fell back');`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
  return stdout.trim();
}

describe('the CLI launcher\'s bundle', () => {
  let root: string;
  const write = async (file: string, text: string) => {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), text);
  };
  const bundle = () => join(root, 'dist/main.mjs');

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'fp-fresh-bundle-'));
    await write('tsconfig.json', '{}');
    await write('src/main.ts', [
      "import { message } from './message.js';",
      'const shown: string = message;',
      "if (shown === 'throw') throw new Error('thrown on purpose');",
      'console.log(shown);',
    ].join('\n'));
    await write('src/message.ts', "export const message = 'one';\n");
    // a package stays outside the bundle: Node loads it from node_modules when the bundle runs
    await write('node_modules/greeting/package.json', JSON.stringify({ name: 'greeting', type: 'module', main: 'index.js' }));
    await write('node_modules/greeting/index.js', "export const greeting = 'hello';\n");
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('builds on first use, runs, and is fresh until a source changes', async () => {
    expect(isFresh(root, bundle())).toBe(false);
    expect(await launch(root)).toBe('one');
    expect(isFresh(root, bundle())).toBe(true);

    const built = await stat(bundle());
    expect(await launch(root)).toBe('one');
    expect((await stat(bundle())).ino).toBe(built.ino); // not built again

    await write('src/message.ts', "export const message = 'two';\n");
    expect(isFresh(root, bundle())).toBe(false);
    expect(await launch(root)).toBe('two');
    expect((await stat(bundle())).ino).not.toBe(built.ino);
  });

  it('is stale when a source it was built from is gone, or the compiler settings changed', async () => {
    await launch(root);
    await write('tsconfig.json', '{ "compilerOptions": {} }');
    expect(isFresh(root, bundle())).toBe(false);
    await launch(root);
    expect(isFresh(root, bundle())).toBe(true);
    await rm(join(root, 'src/message.ts'));
    expect(isFresh(root, bundle())).toBe(false);
  });

  it('keeps packages out: one changed in node_modules is what the bundle runs, without a rebuild', async () => {
    await write('src/main.ts', "import { greeting } from 'greeting';\nconsole.log(greeting);\n");
    expect(await launch(root)).toBe('hello');
    await write('node_modules/greeting/index.js', "export const greeting = 'hi';\n");
    expect(isFresh(root, bundle())).toBe(true);
    expect(await launch(root)).toBe('hi');
  });

  it('names the source file and line in a stack trace, not the bundle\'s', async () => {
    await write('src/message.ts', "export const message = 'throw';\n");
    const failed = await launch(root).then(() => undefined, (err: { stderr: string }) => err.stderr);
    expect(failed).toContain('thrown on purpose');
    expect(failed).toMatch(/src\/main\.ts:3:\d+/);
  });

  it('falls back, leaving nothing behind, when the sources do not build', async () => {
    await write('src/message.ts', 'export const message = ;\n');
    expect(await launch(root)).toBe('fell back');
    expect(await readdir(root)).not.toContain('dist');
  });

  it('falls back when it cannot write the bundle', async () => {
    await write('dist', 'a file where the directory would be');
    expect(await launch(root)).toBe('fell back');
  });

  it('runs the sources through tsx where no bundle can be written (runFresh, as the bins call it)', async () => {
    // the launcher as it lies in a project: bin/ beside the sources, and the project's packages (tsx among them)
    await write('package.json', JSON.stringify({ type: 'module' }));
    await mkdir(join(root, 'bin'));
    await copyFile(launcher, join(root, 'bin/fresh-bundle.js'));
    await rm(join(root, 'node_modules'), { recursive: true });
    await symlink(resolve('node_modules'), join(root, 'node_modules'));
    await write('dist', 'a file where the directory would be');
    const script = `const { runFresh } = await import(${JSON.stringify(join(root, 'bin/fresh-bundle.js'))});
      await runFresh('src/main.ts', 'dist/main.mjs');`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(stdout.trim()).toBe('one');
  });
});

describe('bin/fleetplane.js', () => {
  it('runs the CLI from a bundle it keeps fresh', async () => {
    const r = await fleetplane(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: fleetplane');
    expect(isFresh(process.cwd(), join(process.cwd(), 'dist/cli/fleetplane.mjs'))).toBe(true);
  });
});
