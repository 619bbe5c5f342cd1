import { isDeepStrictEqual } from 'node:util';
import { KubeError, type StatusCause } from './errors.js';
import { describe, fromFieldsV1, getAt, leafPaths, removeAt, SEP, steps, toFieldsV1, type Path } from './field-paths.js';
import type { KindInfo } from './kinds.js';
import { mergeApplied } from './merge.js';

/**
 * Field ownership, kept in metadata.managedFields exactly where clients read it
 * (fieldsV1 is the only copy — no side table per object).
 *
 * - Apply: the manager's set becomes exactly the fields it sent; fields it
 *   owned before and no longer sends are removed unless someone else owns them;
 *   a field another manager owns with a different value is a conflict (409)
 *   unless forced, and forcing takes it away from that manager.
 * - Update (create, PUT, merge/JSON/strategic patch): the writer takes every
 *   field it changed or added, silently, and those fields leave other managers.
 */
export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, any>;
  subresource?: string;
}

type Scope = '' | 'status';
const SYSTEM_METADATA = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** The part of an object whose fields can be owned in a scope. */
function ownable(obj: any, info: KindInfo, scope: Scope): Record<string, unknown> {
  if (!obj) return {};
  if (scope === 'status') return obj.status === undefined ? {} : { status: obj.status };
  const { apiVersion: _a, kind: _k, metadata, status, ...rest } = obj;
  const meta = { ...(metadata ?? {}) };
  for (const f of SYSTEM_METADATA) delete meta[f];
  return { ...(Object.keys(meta).length ? { metadata: meta } : {}), ...rest, ...(info.status ? {} : status === undefined ? {} : { status }) };
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const isItem = (p: Path) => (steps(p).at(-1) ?? '').startsWith('k:');
/** `…/k:{"name":"x"}/f:name` — a key field of a list item. */
function isKeyField(p: Path): boolean {
  const ss = steps(p);
  const parent = ss.at(-2);
  return !!parent?.startsWith('k:') && (ss.at(-1) ?? '').slice(2) in JSON.parse(parent.slice(2));
}
const covers = (set: Set<Path>, p: Path) => set.has(p) || [...set].some((q) => q.startsWith(p + SEP));

function parse(obj: any): { entry: ManagedEntry; paths: Set<Path> }[] {
  return ((obj?.metadata?.managedFields ?? []) as ManagedEntry[])
    .filter((e) => e && e.manager !== undefined)
    .map((entry) => ({ entry, paths: fromFieldsV1(entry.fieldsV1) }));
}

function render(entries: { entry: ManagedEntry; paths: Set<Path> }[]): ManagedEntry[] {
  return entries.filter((e) => e.paths.size > 0).map(({ entry, paths }) => ({ ...entry, fieldsV1: toFieldsV1(paths) }));
}

const scopeOf = (e: ManagedEntry): Scope => (e.subresource === 'status' ? 'status' : '');

/**
 * Server-side apply of `applied` by `manager` onto `live` (undefined when the
 * object does not exist yet). Returns the new object, managedFields included.
 */
export function applyWithOwnership(
  live: any, applied: any, manager: string, force: boolean, info: KindInfo, scope: Scope = '',
): any {
  const sent = ownable(applied, info, scope);
  const mine = leafPaths(sent);
  const liveFields = ownable(live, info, scope);
  const entries = parse(live);
  const isMe = (e: ManagedEntry) => e.manager === manager && e.operation === 'Apply' && scopeOf(e) === scope;

  const conflicts: { entry: ManagedEntry; path: Path }[] = [];
  for (const other of entries) {
    if (isMe(other.entry) || scopeOf(other.entry) !== scope) continue;
    for (const p of mine) {
      if (isItem(p) || !other.paths.has(p)) continue;
      const was = getAt(liveFields, p);
      if (!was.found || !isDeepStrictEqual(was.value, getAt(sent, p).value)) conflicts.push({ entry: other.entry, path: p });
    }
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  for (const c of conflicts) entries.find((e) => e.entry === c.entry)!.paths.delete(c.path);

  const previous = entries.find((e) => isMe(e.entry))?.paths ?? new Set<Path>();
  const merged: any = mergeApplied(structuredClone(live ?? {}), scope === 'status' ? { status: applied.status } : strip(applied, info));
  const others = entries.filter((e) => !isMe(e.entry)).map((e) => e.paths);
  // Shallowest first: a dropped list item goes whole (its fields after it are no-ops), and an
  // item someone else still owns part of keeps its key fields, which identify it.
  const dropped = [...previous].filter((p) => !covers(mine, p) && !isKeyField(p)).sort((a, b) => steps(a).length - steps(b).length);
  for (const p of dropped) if (!others.some((o) => covers(o, p))) removeAt(merged, p);

  const next = entries.filter((e) => !isMe(e.entry));
  const at = entries.findIndex((e) => isMe(e.entry));
  // The applier keeps its place in the list: a re-apply that changes nothing must leave the object as it was.
  next.splice(at >= 0 ? at : next.length, 0, {
    entry: { manager, operation: 'Apply', apiVersion: applied.apiVersion, time: now(), fieldsType: 'FieldsV1', fieldsV1: {}, ...(scope ? { subresource: scope } : {}) },
    paths: mine,
  });
  merged.metadata = { ...(merged.metadata ?? {}), managedFields: render(next) };
  return merged;
}

/** The applied object without what apply may not set through the main resource. */
function strip(applied: any, info: KindInfo): any {
  const { status, ...rest } = applied;
  const meta = { ...(rest.metadata ?? {}) };
  for (const f of SYSTEM_METADATA) if (f !== 'name' && f !== 'namespace') delete meta[f];
  return { ...rest, metadata: meta, ...(info.status ? {} : status === undefined ? {} : { status }) };
}

/**
 * Ownership after a non-apply write by `manager`: it gains the fields whose
 * value it changed or added; fields changed or removed leave every other manager.
 */
export function updateOwnership(old: any, next: any, manager: string, info: KindInfo, scope: Scope = ''): ManagedEntry[] {
  const before = ownable(old, info, scope);
  const after = ownable(next, info, scope);
  const oldPaths = leafPaths(before);
  const newPaths = leafPaths(after);
  const changed = new Set<Path>();
  for (const p of newPaths) {
    if (!oldPaths.has(p)) changed.add(p);
    else if (!isItem(p) && !isDeepStrictEqual(getAt(before, p).value, getAt(after, p).value)) changed.add(p);
  }
  for (const p of oldPaths) if (!newPaths.has(p)) changed.add(p);

  const entries = parse(old);
  const isMe = (e: ManagedEntry) => e.manager === manager && e.operation === 'Update' && scopeOf(e) === scope;
  for (const e of entries) {
    if (isMe(e.entry) || scopeOf(e.entry) !== scope) continue;
    for (const p of changed) e.paths.delete(p);
  }
  const mineBefore = entries.find((e) => isMe(e.entry));
  const gained = [...changed].filter((p) => newPaths.has(p));
  const mine = new Set([...(mineBefore?.paths ?? [])].filter((p) => newPaths.has(p)).concat(gained));
  const kept = entries.filter((e) => !isMe(e.entry));
  const entry: ManagedEntry = mineBefore && gained.length === 0
    ? mineBefore.entry
    : { manager, operation: 'Update', apiVersion: next.apiVersion, time: now(), fieldsType: 'FieldsV1', fieldsV1: {}, ...(scope ? { subresource: scope } : {}) };
  // An updater keeps its place in the list, as the apiserver keeps entry order stable.
  const at = mineBefore ? entries.indexOf(mineBefore) : kept.length;
  kept.splice(at, 0, { entry, paths: mine });
  return render(kept);
}

/**
 * The apiserver's 409 for an apply: one cause per field, and a message that
 * names appliers bare and updaters with their apiVersion, one conflict inline,
 * several grouped by manager (sorted) as bulleted lists.
 */
function conflictError(conflicts: { entry: ManagedEntry; path: Path }[]): KubeError {
  const who = (e: ManagedEntry) =>
    `${JSON.stringify(e.manager)}${e.subresource ? ` with subresource ${JSON.stringify(e.subresource)}` : ''}${e.operation === 'Update' ? ` using ${e.apiVersion}` : ''}`;
  const causes: StatusCause[] = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${who(c.entry)}`, field: describe(c.path) }));
  let message: string;
  if (conflicts.length === 1) message = `Apply failed with 1 conflict: conflict with ${who(conflicts[0]!.entry)}: ${describe(conflicts[0]!.path)}`;
  else {
    const groups = new Map<string, Path[]>();
    for (const c of conflicts) groups.set(who(c.entry), [...(groups.get(who(c.entry)) ?? []), c.path]);
    const lines = [...groups.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...groups.get(m)!.map((p) => `- ${describe(p)}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new KubeError(409, 'Conflict', message, { causes });
}
