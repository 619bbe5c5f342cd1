/**
 * Field paths in the structured-merge-diff style the apiserver uses for
 * managedFields: each step is `f:<field>` for a map key or `k:{…}` for an item
 * of an associative list, identified by its key fields.
 *
 * Lists are atomic (owned and replaced whole) except the associative lists
 * below, which are merged item by item. The key set is the list's merge keys
 * that the item actually carries (the real apiserver defaults `protocol` on
 * ports before keying; this server does not default it).
 */
const ASSOCIATIVE: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  ownerReferences: ['uid'],
  conditions: ['type'],
  hostAliases: ['ip'],
  // Container ports are keyed by containerPort (+protocol), Service ports by port (+protocol).
  ports: ['containerPort', 'port', 'protocol'],
};

/** A path is its steps joined by newlines (a character no field name or key carries). */
export type Path = string;
export const SEP = '\n';
export const join = (parent: Path, step: string): Path => (parent ? parent + SEP + step : step);
export const steps = (p: Path): string[] => (p ? p.split(SEP) : []);

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The key object of a list item, or undefined when the list is not associative for this item. */
export function itemKey(field: string, item: unknown): Record<string, unknown> | undefined {
  const keys = ASSOCIATIVE[field];
  if (!keys || !isMap(item)) return undefined;
  const key: Record<string, unknown> = {};
  for (const k of keys) if (item[k] !== undefined && item[k] !== null) key[k] = item[k];
  // Ports carry containerPort or port; a bare protocol alone does not identify an item.
  const present = Object.keys(key).filter((k) => k !== 'protocol');
  return present.length > 0 ? key : undefined;
}

export const keyStep = (key: Record<string, unknown>) =>
  'k:' + JSON.stringify(Object.fromEntries(Object.keys(key).sort().map((k) => [k, key[k]])));

/** True when every item of the list can be keyed, so it merges per item. */
export const isAssociative = (field: string, list: unknown[]) =>
  list.length > 0 && list.every((item) => itemKey(field, item) !== undefined);

/**
 * The fields a value sets: leaf paths for scalars, atomic lists and empty maps,
 * plus one path per associative-list item (the item itself is owned).
 */
export function leafPaths(value: unknown, base: Path = '', field = '', out: Set<Path> = new Set()): Set<Path> {
  if (isMap(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && base) out.add(base);
    for (const k of keys) leafPaths(value[k], join(base, 'f:' + k), k, out);
  } else if (Array.isArray(value) && isAssociative(field, value)) {
    for (const item of value) {
      const p = join(base, keyStep(itemKey(field, item)!));
      out.add(p);
      leafPaths(item, p, '', out);
    }
  } else if (base) {
    out.add(base);
  }
  return out;
}

/** Reads the value at a path; `found` distinguishes a missing field from a null one. */
export function getAt(obj: unknown, path: Path): { found: boolean; value?: unknown } {
  let cur: unknown = obj;
  for (const s of steps(path)) {
    if (s.startsWith('f:') && isMap(cur) && s.slice(2) in cur) cur = cur[s.slice(2)];
    else if (s.startsWith('k:') && Array.isArray(cur)) {
      const key = JSON.parse(s.slice(2)) as Record<string, unknown>;
      cur = cur.find((it) => isMap(it) && Object.entries(key).every(([k, v]) => it[k] === v));
      if (cur === undefined) return { found: false };
    } else return { found: false };
  }
  return { found: true, value: cur };
}

/**
 * Removes the field at a path in place (the caller passes a private copy),
 * then drops maps and lists the removal left empty — an emptied parent is not
 * a field anyone set.
 */
export function removeAt(obj: Record<string, unknown>, path: Path): void {
  const ss = steps(path);
  const chain: unknown[] = [obj];
  for (const s of ss.slice(0, -1)) {
    const next = getAt(chain[chain.length - 1], s).value;
    if (next === undefined || typeof next !== 'object' || next === null) return;
    chain.push(next);
  }
  for (let i = ss.length - 1; i >= 0; i--) {
    const parent = chain[i];
    const s = ss[i]!;
    if (s.startsWith('f:') && isMap(parent)) delete parent[s.slice(2)];
    else if (s.startsWith('k:') && Array.isArray(parent)) {
      const at = parent.indexOf(getAt(parent, s).value);
      if (at >= 0) parent.splice(at, 1);
    }
    const emptied = isMap(parent) ? Object.keys(parent).length === 0 : Array.isArray(parent) && parent.length === 0;
    // Stop at the first parent that still holds something, and never empty a top-level section.
    if (!emptied || i <= 1) return;
  }
}

/** `.spec.template.spec.containers[name="app"].image`, the way conflict messages name a field. */
export function describe(path: Path): string {
  return steps(path).map((s) => {
    if (s.startsWith('f:')) return '.' + s.slice(2);
    const key = JSON.parse(s.slice(2)) as Record<string, unknown>;
    return '[' + Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',') + ']';
  }).join('');
}

/** Encodes a path set as fieldsV1: nested `f:`/`k:` maps, `{}` for leaves, `".": {}` for an owned node with children. */
export function toFieldsV1(paths: Iterable<Path>): Record<string, any> {
  const root: Record<string, any> = {};
  for (const p of paths) {
    let node = root;
    for (const s of steps(p)) node = node[s] ??= {};
    node['.'] = {};
  }
  // A leaf's "." marker is implied by its empty map; keep "." only where the node has children.
  const tidy = (node: Record<string, any>) => {
    for (const [k, v] of Object.entries(node)) {
      if (k === '.') continue;
      if (Object.keys(v).length === 1 && '.' in v) node[k] = {};
      else tidy(v);
    }
  };
  tidy(root);
  return root;
}

export function fromFieldsV1(fields: Record<string, any> | undefined, base: Path = '', out: Set<Path> = new Set()): Set<Path> {
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (k === '.') { if (base) out.add(base); continue; }
    const p = join(base, k);
    if (!v || Object.keys(v).length === 0) out.add(p);
    else fromFieldsV1(v, p, out);
  }
  return out;
}
