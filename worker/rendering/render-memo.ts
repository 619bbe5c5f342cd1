import type { Rendered } from '../render/index.js';
import type { RenderBatch, Renderer } from './renderer.js';

/**
 * Remembers renders so a write can render before its transaction and find the
 * same renders inside it: a render may take its whole deadline, and a
 * transaction held that long holds the database (PGlite has one session for
 * every tenant and heartbeat). Only targets not rendered ahead (a cluster
 * that joined in between) are rendered inside. Versions are immutable, so a
 * template's name and version stand for its content.
 */
export class RenderMemo implements Renderer {
  private readonly memo = new Map<string, Rendered>();

  constructor(private readonly inner: Renderer) {}

  async renderApp(batch: RenderBatch): Promise<Rendered[]> {
    const { template, tenant, app, values } = batch.shared;
    const common = JSON.stringify([template.catalog, template.name, template.version, tenant, app, values]);
    const keys = batch.targets.map((t) => `${common}|${JSON.stringify(t)}`);
    const missing = batch.targets.filter((_, k) => !this.memo.has(keys[k]!));
    if (missing.length > 0) {
      const rendered = await this.inner.renderApp({ shared: batch.shared, targets: missing });
      const missingKeys = keys.filter((k) => !this.memo.has(k));
      missingKeys.forEach((k, i) => this.memo.set(k, rendered[i]!));
    }
    return keys.map((k) => this.memo.get(k)!);
  }
}
