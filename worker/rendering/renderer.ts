import { renderApp, type RenderInput, type Rendered } from '../render/index.js';

/**
 * Renders of one app for many clusters: what they share (the template, often
 * large, and the app's values) once, and per cluster only what differs.
 */
export interface RenderBatch {
  shared: Omit<RenderInput, 'cluster' | 'overrides'>;
  targets: Pick<RenderInput, 'cluster' | 'overrides'>[];
}

/**
 * Where renders run. Workers render inline (each request has its own isolate
 * and CPU limit); Node renders on a pool of worker threads, so a template
 * that loops or grows memory stalls neither heartbeats nor other tenants.
 * One result per target, in order.
 */
export interface Renderer {
  renderApp(batch: RenderBatch): Promise<Rendered[]>;
}

/** Renders in the caller's thread, within the renderer's own budget. */
export const inlineRenderer: Renderer = {
  renderApp: async ({ shared, targets }) => targets.map((t) => renderApp({ ...shared, ...t })),
};
