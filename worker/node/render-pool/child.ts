/**
 * A render process: renders the targets of one batch at a time and sends each
 * result as it finishes, so the pool's watchdog can stop a single render that
 * runs too long without waiting for the whole chunk.
 */
import { renderApp, type Rendered } from '../../render/index.js';
import { budgetError } from '../../rendering/budget-error.js';
import type { RenderBatch } from '../../rendering/renderer.js';
import { OUTPUT_LIMITS, type FromChild, type ToChild } from './protocol.js';

let shared: RenderBatch['shared'] | undefined;

function bounded(r: Rendered, cluster: string): Rendered {
  if (!r.ok) return r;
  const limit = (what: string) => ({ ok: false as const, errors: [budgetError(shared!.template, cluster, what)] });
  if (r.objects.length > OUTPUT_LIMITS.maxObjects) return limit(`${r.objects.length} objects, more than ${OUTPUT_LIMITS.maxObjects}`);
  const bytes = JSON.stringify(r.objects).length;
  if (bytes > OUTPUT_LIMITS.maxBytes) return limit(`${bytes} bytes of JSON, more than ${OUTPUT_LIMITS.maxBytes}`);
  return r;
}

function renderOne(t: RenderBatch['targets'][number]): Rendered {
  const { name, version } = shared!.template;
  try {
    return bounded(renderApp({ ...shared!, ...t }), t.cluster.name);
  } catch (err) {
    // V8 refuses strings and arrays past its own maximum length before the heap limit is reached
    if (err instanceof RangeError && /Invalid (string|array|typed array) length/.test(err.message)) {
      return { ok: false, errors: [budgetError(shared!.template, t.cluster.name, 'a string or array grew past the maximum length')] };
    }
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, errors: [{ pointer: '/spec/template', message: `template ${name}@${version}, cluster "${t.cluster.name}": cannot be rendered: ${detail}` }] };
  }
}

process.on('message', (m: ToChild) => {
  if (m.kind === 'batch') {
    shared = m.shared;
    return;
  }
  for (const t of m.targets) process.send!({ result: renderOne(t) } satisfies FromChild);
});
// the pool's end is this process's end
process.on('disconnect', () => process.exit(0));
