/**
 * Prints the OpenAPI document the server serves, built in-process (no server,
 * no database): `tsx scripts/openapi.ts [file]` writes it to `file` or stdout.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openApiDocument } from './openapi-document.js';

const text = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
const out = process.argv[2];
if (out) {
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, text);
} else process.stdout.write(text);
