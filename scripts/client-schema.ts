/**
 * `client/schema.d.ts` is generated from the document the server serves:
 *   tsx scripts/client-schema.ts --write   regenerates it (npm run client:generate)
 *   tsx scripts/client-schema.ts --check   fails when the checked-in file differs (npm run client:check)
 */
import { readFile, writeFile } from 'node:fs/promises';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { openApiDocument } from './openapi-document.js';

const TARGET = new URL('../client/schema.d.ts', import.meta.url);

const ast = await openapiTS((await openApiDocument()) as unknown as OpenAPI3, { alphabetize: false });
const generated = COMMENT_HEADER + astToString(ast);

if (process.argv.includes('--check')) {
  const current = await readFile(TARGET, 'utf8').catch(() => '');
  if (current !== generated) {
    console.error('client/schema.d.ts does not match the API the server describes; run `npm run client:generate` and commit it.');
    process.exit(1);
  }
  console.log('client/schema.d.ts matches the server’s OpenAPI document');
} else {
  await writeFile(TARGET, generated);
  console.log('wrote client/schema.d.ts');
}
