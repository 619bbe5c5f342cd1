import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { API_VERSION, KINDS, kindByName, type KindDef, type Ref } from './kinds.js';

/** One object from a file, checked to be a Fleetplane object. */
export interface Doc {
  file: string;
  /** 1-based position in its file */
  index: number;
  /** 1-based position in a `kind: List` document (as `get -o json` prints lists) */
  item?: number | undefined;
  kind: KindDef;
  ref: Ref;
  labels: Record<string, string>;
  spec: Record<string, unknown>;
}

export interface FieldProblem { pointer: string; message: string }
export interface DocProblem { file: string; index: number | undefined; item?: number | undefined; message: string; errors: FieldProblem[] }

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** Fields the server sets; `get -o json` prints them, apply ignores them. */
const READ_ONLY = new Set(['uid', 'createdAt', 'updatedAt', 'generation', 'resourceVersion']);

async function filesUnder(path: string): Promise<string[]> {
  const s = await stat(path);
  if (!s.isDirectory()) return [path];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? filesUnder(join(path, e.name)) : EXTENSIONS.has(extname(e.name)) ? [join(path, e.name)] : [])),
  );
  return nested.flat();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The envelope of one document: apiVersion, a known kind, metadata and spec. The spec itself the server checks. */
export function checkDocument(raw: unknown): { doc?: Omit<Doc, 'file' | 'index'>; errors: FieldProblem[] } {
  if (!isObject(raw)) return { errors: [{ pointer: '', message: 'must be an object with apiVersion, kind, metadata and spec' }] };
  const errors: FieldProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (!['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(key)) errors.push({ pointer: `/${key}`, message: 'unknown field' });
  }
  if (raw.apiVersion !== API_VERSION) errors.push({ pointer: '/apiVersion', message: `must be ${API_VERSION}` });
  const kind = kindByName(raw.kind);
  if (!kind) errors.push({ pointer: '/kind', message: `unknown kind ${JSON.stringify(raw.kind)}; one of ${KINDS.map((k) => k.kind).join(', ')}` });
  const m = raw.metadata;
  if (!isObject(m)) errors.push({ pointer: '/metadata', message: 'must be an object with a name' });
  else {
    if (typeof m.name !== 'string' || m.name === '') errors.push({ pointer: '/metadata/name', message: 'must be a non-empty string' });
    if (m.labels !== undefined && (!isObject(m.labels) || Object.values(m.labels).some((v) => typeof v !== 'string'))) {
      errors.push({ pointer: '/metadata/labels', message: 'must map names to strings' });
    }
    const versioned = kind?.kind === 'TemplateVersion';
    if (versioned && (typeof m.template !== 'string' || m.template === '')) {
      errors.push({ pointer: '/metadata/template', message: 'a TemplateVersion names its template here' });
    }
    for (const key of Object.keys(m)) {
      if (!['name', 'labels', ...(versioned ? ['template'] : [])].includes(key) && !READ_ONLY.has(key)) {
        errors.push({ pointer: `/metadata/${key}`, message: 'unknown field' });
      }
    }
  }
  if (!isObject(raw.spec)) errors.push({ pointer: '/spec', message: 'must be an object' });
  if (errors.length || !kind || !isObject(m) || !isObject(raw.spec)) return { errors };
  const ref: Ref = kind.kind === 'TemplateVersion' ? { name: m.name as string, template: m.template as string } : { name: m.name as string };
  return { doc: { kind, ref, labels: (m.labels as Record<string, string> | undefined) ?? {}, spec: raw.spec }, errors };
}

function parseFile(file: string, text: string): { values: { index: number; value: unknown }[]; problems: DocProblem[] } {
  if (extname(file) === '.json') {
    try {
      return { values: [{ index: 1, value: JSON.parse(text) }], problems: [] };
    } catch (err) {
      return { values: [], problems: [{ file, index: undefined, message: `not JSON: ${(err as Error).message}`, errors: [] }] };
    }
  }
  const values: { index: number; value: unknown }[] = [];
  const problems: DocProblem[] = [];
  parseAllDocuments(text).forEach((d, i) => {
    if (d.errors.length) problems.push({ file, index: i + 1, message: `not YAML: ${d.errors[0]!.message}`, errors: [] });
    else if (d.contents !== null) values.push({ index: i + 1, value: d.toJS() });
  });
  return { values, problems };
}

/**
 * Every document under `paths` (files, or directories searched for *.yaml, *.yml
 * and *.json), in apply order: clusters, templates, versions, namespaces, apps, webhooks.
 * Documents that are not Fleetplane objects come back as problems; the rest can still be used.
 */
export async function readDocuments(paths: string[]): Promise<{ docs: Doc[]; problems: DocProblem[] }> {
  const docs: Doc[] = [];
  const problems: DocProblem[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      files = await filesUnder(path);
    } catch (err) {
      problems.push({ file: path, index: undefined, message: (err as Error).message, errors: [] });
      continue;
    }
    for (const file of files) {
      const parsed = parseFile(file, await readFile(file, 'utf8'));
      problems.push(...parsed.problems);
      for (const { index, value } of parsed.values) {
        const list = isObject(value) && value.kind === 'List' && Array.isArray(value.items);
        const objects = list ? (value.items as unknown[]).map((v, i) => ({ value: v, item: i + 1 })) : [{ value, item: undefined }];
        for (const o of objects) {
          const checked = checkDocument(o.value);
          if (checked.doc) docs.push({ file, index, item: o.item, ...checked.doc });
          else problems.push({ file, index, item: o.item, message: 'not a valid Fleetplane object', errors: checked.errors });
        }
      }
    }
  }
  return { docs: docs.sort((a, b) => a.kind.order - b.kind.order), problems };
}
