/**
 * A render process: renders the targets of one batch at a time and sends each
 * result as it finishes, so the pool's watchdog can stop a single render that
 * runs too long without waiting for the whole chunk.
 */
import { renderApp, type Rendered } from '../../render/index.js';
import { budgetError } from '../../rendering/budget-error.js';
import type { RenderBatch } from '../../rendering/renderer.js';
import type { FromChild, ToChild } from './protocol.js';

let shared: RenderBatch['shared'] | undefined;

function renderOne(t: RenderBatch['targets'][number]): Rendered {
  const { name, version } = shared!.template;
  try {
    // the renderer holds the budget (output size and object count included); this process adds the heap and CPU limits
    return renderApp({ ...shared!, ...t });
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
