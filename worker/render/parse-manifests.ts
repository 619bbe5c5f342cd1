import { parseAllDocuments } from 'yaml';
import type { FieldError } from './types.js';

export const MAX_MANIFEST_BYTES = 512_000;
export const MAX_MANIFEST_OBJECTS = 1_000;
const POINTER = '/spec/manifests';

export type ParsedManifests = { ok: true; docs: unknown[] } | { ok: false; status: 400 | 413; errors: FieldError[] };

const bytes = (s: string) => new TextEncoder().encode(s).length;

function tooMany(count: number): ParsedManifests {
  return { ok: false, status: 400, errors: [{ pointer: POINTER, message: `${count} objects; at most ${MAX_MANIFEST_OBJECTS} are allowed` }] };
}

function tooLarge(size: number): ParsedManifests {
  return { ok: false, status: 413, errors: [{ pointer: POINTER, message: `${size} bytes; at most ${MAX_MANIFEST_BYTES} are allowed` }] };
}

/**
 * A template's manifests, given as YAML text (any number of `---` documents;
 * empty ones are skipped) or as an array of objects. Size is checked before
 * parsing so a huge body costs nothing; alias expansion is capped by the
 * YAML library so a small text cannot grow into a huge one.
 */
export function parseManifests(m: string | unknown[]): ParsedManifests {
  if (Array.isArray(m)) {
    const size = bytes(JSON.stringify(m));
    if (size > MAX_MANIFEST_BYTES) return tooLarge(size);
    if (m.length > MAX_MANIFEST_OBJECTS) return tooMany(m.length);
    return { ok: true, docs: structuredClone(m) };
  }
  const size = bytes(m);
  if (size > MAX_MANIFEST_BYTES) return tooLarge(size);
  const errors: FieldError[] = [];
  const docs: unknown[] = [];
  for (const doc of parseAllDocuments(m, { uniqueKeys: true, prettyErrors: true })) {
    for (const e of doc.errors) {
      const at = e.linePos?.[0];
      const where = at ? `line ${at.line}, column ${at.col}: ` : '';
      // the library appends the position and a source excerpt to its message; keep the sentence
      const sentence = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      errors.push({ pointer: POINTER, message: `YAML syntax error at ${where}${sentence}` });
    }
    if (doc.errors.length > 0 || doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // thrown when aliases would expand a small text into a huge document
      errors.push({ pointer: POINTER, message: `document ${docs.length}: ${(e as Error).message}` });
      continue;
    }
    if (value !== null && value !== undefined) docs.push(value);
  }
  if (errors.length > 0) return { ok: false, status: 400, errors };
  return docs.length > MAX_MANIFEST_OBJECTS ? tooMany(docs.length) : { ok: true, docs };
}
