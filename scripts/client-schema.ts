/**
 * `client/schema.d.ts` is generated from the document the server serves:
 *   tsx scripts/client-schema.ts --write   regenerates it (npm run client:generate)
 *   tsx scripts/client-schema.ts --check   fails when the checked-in file differs (npm run client:check)
 * `--file PATH` works on another file instead (tests).
 */
import { readFile, writeFile } from 'node:fs/promises';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { openApiDocument } from './openapi-document.js';

const fileArg = process.argv.indexOf('--file');
const TARGET = fileArg > 0 ? process.argv[fileArg + 1]! : new URL('../client/schema.d.ts', import.meta.url);
const shown = fileArg > 0 ? TARGET : 'client/schema.d.ts';

const ast = await openapiTS((await openApiDocument()) as unknown as OpenAPI3, { alphabetize: false });
const generated = COMMENT_HEADER + astToString(ast);

if (process.argv.includes('--check')) {
  const current = await readFile(TARGET, 'utf8').catch(() => '');
  if (current !== generated) {
    console.error(`${shown} does not match the API the server describes; run \`npm run client:generate\` and commit it.`);
    process.exit(1);
  }
  console.log(`${shown} matches the server’s OpenAPI document`);
} else {
  await writeFile(TARGET, generated);
  console.log(`wrote ${shown}`);
}
