import { canaryWeb } from './canary-web.js';
import { cronjob } from './cronjob.js';
import { mysql } from './mysql.js';
import { prometheus } from './prometheus.js';
import { redis } from './redis.js';
import { streamMixer } from './stream-mixer.js';
import type { CatalogTemplate } from './types.js';
import { web } from './web.js';

export type { CatalogTemplate, CatalogVersion } from './types.js';

/** The built-in templates every tenant can use, read-only. */
export const CATALOG: CatalogTemplate[] = [web, redis, mysql, cronjob, streamMixer, prometheus, canaryWeb];

/**
 * The parameters and manifests of one catalog template version (what a
 * TemplateSource needs beyond its name and version), or undefined.
 */
export function catalogTemplate(name: string, version: string): { parameters: Record<string, unknown>; manifests: string } | undefined {
  const v = CATALOG.find((t) => t.name === name)?.versions.find((x) => x.version === version);
  return v && { parameters: v.parameters, manifests: v.manifests };
}
