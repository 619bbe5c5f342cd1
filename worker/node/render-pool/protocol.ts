import type { Rendered } from '../../render/index.js';
import type { RenderBatch } from '../../rendering/renderer.js';

/** Main thread → render thread: a batch's shared part once, then its targets in chunks. */
export type ToThread =
  | { kind: 'batch'; shared: RenderBatch['shared'] }
  | { kind: 'targets'; targets: RenderBatch['targets'] };

/** Render thread → main thread: the results of one chunk, in order. */
export interface FromThread {
  results: Rendered[];
}

/** What a thread is started with: a shared counter of the current chunk's finished renders (the watchdog reads it). */
export interface ThreadData {
  progress: SharedArrayBuffer;
  maxObjects: number;
  maxBytes: number;
}
