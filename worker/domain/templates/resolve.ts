import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { templates, templateVersions } from '../../../db/schema/index.js';
import { catalogTemplate } from '../../catalog/index.js';
import type { FieldError, TemplateSource } from '../../render/index.js';

export interface TemplateRef {
  name: string;
  version: string;
  catalog?: boolean | undefined;
}

export interface VersionSpec {
  parameters?: Record<string, unknown> | undefined;
  manifests: string | unknown[];
}

/** A version without a parameter schema takes any object of values. */
export const parametersOf = (spec: VersionSpec): Record<string, unknown> => spec.parameters ?? { type: 'object' };

/** The template version an app names: the tenant's own, or the built-in catalog's. */
export async function resolveTemplate(
  db: Db, tenantId: string, ref: TemplateRef,
): Promise<{ ok: true; source: TemplateSource } | { ok: false; errors: FieldError[] }> {
  if (ref.catalog) {
    const found = catalogTemplate(ref.name, ref.version);
    if (found) return { ok: true, source: { name: ref.name, version: ref.version, catalog: true, ...found } };
    return { ok: false, errors: [{ pointer: '/spec/template', message: `the catalog has no template "${ref.name}" at version ${ref.version}` }] };
  }
  const [row] = await db
    .select({ spec: templateVersions.spec })
    .from(templateVersions)
    .innerJoin(templates, eq(templates.uid, templateVersions.templateUid))
    .where(and(eq(templates.tenantId, tenantId), eq(templates.name, ref.name), eq(templateVersions.name, ref.version)))
    .limit(1);
  if (!row) {
    return { ok: false, errors: [{ pointer: '/spec/template', message: `template "${ref.name}" has no version ${ref.version} in this tenant (set catalog: true for a built-in one)` }] };
  }
  const spec = row.spec as unknown as VersionSpec;
  return { ok: true, source: { name: ref.name, version: ref.version, catalog: false, parameters: parametersOf(spec), manifests: spec.manifests } };
}
