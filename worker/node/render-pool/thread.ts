/**
 * A render thread: renders the targets of one batch at a time and counts each
 * finished render in shared memory, so the pool's watchdog can stop a single
 * render that runs too long without waiting for the whole chunk.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderApp, type Rendered } from '../../render/index.js';
import { budgetError } from '../../rendering/budget-error.js';
import type { RenderBatch } from '../../rendering/renderer.js';
import type { FromThread, ThreadData, ToThread } from './protocol.js';

const data = workerData as ThreadData;
const progress = new Int32Array(data.progress);
let shared: RenderBatch['shared'] | undefined;

/** What crosses back to the main thread is bounded too: decoding a huge result there would stall it. */
function bounded(r: Rendered, t: RenderBatch['targets'][number]): Rendered {
  if (!r.ok || !shared) return r;
  const limit = (what: string) => ({ ok: false as const, errors: [budgetError(shared!.template, t.cluster.name, what)] });
  if (r.objects.length > data.maxObjects) return limit(`${r.objects.length} objects, more than ${data.maxObjects}`);
  const bytes = JSON.stringify(r.objects).length;
  if (bytes > data.maxBytes) return limit(`${bytes} bytes of JSON, more than ${data.maxBytes}`);
  return r;
}

function renderOne(t: RenderBatch['targets'][number]): Rendered {
  try {
    return bounded(renderApp({ ...shared!, ...t }), t);
  } catch (err) {
    // V8 refuses strings and arrays past its own maximum length before the heap limit is reached
    if (err instanceof RangeError && /Invalid (string|array|typed array) length/.test(err.message)) {
      return { ok: false, errors: [budgetError(shared!.template, t.cluster.name, 'a string or array grew past the maximum length')] };
    }
    const { name, version } = shared!.template;
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, errors: [{ pointer: '/spec/template', message: `template ${name}@${version}, cluster "${t.cluster.name}": cannot be rendered: ${detail}` }] };
  }
}

parentPort!.on('message', (m: ToThread) => {
  if (m.kind === 'batch') {
    shared = m.shared;
    return;
  }
  const results = m.targets.map((t) => {
    const r = renderOne(t);
    Atomics.add(progress, 0, 1);
    return r;
  });
  parentPort!.postMessage({ results } satisfies FromThread);
});
