/**
 * Drift, judged the way a server-side apply sees it: every field the connector
 * applies must have that value in the live object; fields the server or other
 * managers added (defaults, status, extra list items) are not drift. Lists of
 * objects with a `name` are matched by name (containers, ports, env), other
 * lists by position. Returns the first path that differs, or undefined. Pure.
 */
export function divergence(desired: unknown, live: unknown, path = ''): string | undefined {
  if (path === '') desired = asStored(desired);
  if (desired === null || typeof desired !== 'object') {
    return sameScalar(desired, live) ? undefined : path || '/';
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) return path || '/';
    const byName = desired.every((d) => d && typeof d === 'object' && typeof (d as { name?: unknown }).name === 'string');
    for (let i = 0; i < desired.length; i++) {
      const d = desired[i];
      const l = byName ? live.find((x) => x && typeof x === 'object' && x.name === (d as { name: string }).name) : live[i];
      if (l === undefined) return `${path}/${i}`;
      const diff = divergence(d, l, `${path}/${i}`);
      if (diff) return diff;
    }
    return undefined;
  }
  if (!live || typeof live !== 'object' || Array.isArray(live)) return path || '/';
  for (const [k, v] of Object.entries(desired)) {
    if (path === '' && k === 'status') continue;
    if (v === undefined) continue;
    const diff = divergence(v, (live as Record<string, unknown>)[k], `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (diff) return diff;
  }
  return undefined;
}

function sameScalar(d: unknown, l: unknown) {
  if (d === l) return true;
  // an unset value given as null, and numbers the server writes back as strings (or the reverse)
  if (d === null && l === undefined) return true;
  return (typeof d === 'number' || typeof d === 'string') && (typeof l === 'number' || typeof l === 'string') && String(d) === String(l);
}

type SecretLike = { apiVersion?: unknown; kind?: unknown; data?: Record<string, string>; stringData?: Record<string, unknown> };

/**
 * The desired object as the API server keeps it: a Secret's stringData is
 * write-only, folded into data (base64). Compared as applied, every Secret
 * given with stringData would look drifted at every event.
 */
function asStored(o: unknown): unknown {
  const s = o as SecretLike;
  if (!s || typeof s !== 'object' || s.apiVersion !== 'v1' || s.kind !== 'Secret' || !s.stringData || typeof s.stringData !== 'object') return o;
  const { stringData, ...rest } = s;
  const folded = Object.entries(stringData).map(([k, v]) => [k, Buffer.from(String(v), 'utf8').toString('base64')]);
  return { ...rest, data: { ...(rest.data ?? {}), ...Object.fromEntries(folded) } };
}
