import type { Rendered } from '../../render/index.js';
import type { RenderBatch } from '../../rendering/renderer.js';

/** Pool → render process: a batch's shared part once, then its targets in chunks. */
export type ToChild =
  | { kind: 'batch'; shared: RenderBatch['shared'] }
  | { kind: 'targets'; targets: RenderBatch['targets'] };

/** Render process → pool: each render as it finishes (the watchdog's sign of progress). */
export interface FromChild {
  result: Rendered;
}
