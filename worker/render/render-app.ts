import { applyPatches } from './apply-patches.js';
import { isClusterScoped } from './cluster-scoped.js';
import { describeObject, objectIdentity } from './kube-object.js';
import { mergedValues } from './merged-values.js';
import { parseManifestsCached } from './manifest-cache.js';
import { renderDocuments, type RenderedDocument } from './render-documents.js';
import { stamp } from './stamp.js';
import type { FieldError, KubeObject, RenderInput, Rendered } from './types.js';

function withNamespace(o: KubeObject, namespace: string): KubeObject {
  if (o.metadata.namespace !== undefined || isClusterScoped(o.kind)) return o;
  return { ...o, metadata: { ...o.metadata, namespace } };
}

function duplicates(rendered: RenderedDocument[], input: RenderInput): FieldError[] {
  const first = new Map<string, number>();
  const errors: FieldError[] = [];
  for (const { doc, object } of rendered) {
    const id = objectIdentity(object);
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, doc);
    else
      errors.push({
        pointer: '/spec/template',
        message: `template ${input.template.name}@${input.template.version}, cluster "${input.cluster.name}": documents ${earlier} and ${doc} both produce ${describeObject(object)}`,
      });
  }
  return errors;
}

/**
 * What one app places on one cluster: values merged and validated, every
 * manifest rendered, namespaced, patched by the matching overrides and
 * stamped with ownership. Collects every error it can instead of stopping at
 * the first; invalid values stop before rendering, since a render with them
 * would only repeat the same problems in other words. Pure: no I/O, inputs
 * untouched.
 */
export function renderApp(input: RenderInput): Rendered {
  const { template } = input;
  const { values, errors: valueErrors } = mergedValues(input);
  if (valueErrors.length > 0) return { ok: false, errors: valueErrors };

  const parsed = parseManifestsCached(template.manifests);
  if (!parsed.ok) {
    const name = `template ${template.name}@${template.version}`;
    return { ok: false, errors: parsed.errors.map((e) => ({ pointer: '/spec/template', message: `${name}: ${e.message}` })) };
  }

  const { rendered, errors } = renderDocuments(parsed.docs, input, values);
  const namespaced = rendered.map((r) => ({ doc: r.doc, object: withNamespace(r.object, input.app.namespace) }));
  const patched = applyPatches(
    namespaced.map((r) => r.object),
    input,
  );
  errors.push(...patched.errors);
  // identity is checked on the final objects: a patch may rename one
  errors.push(...duplicates(namespaced.map((r, k) => ({ doc: r.doc, object: patched.objects[k]! })), input));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, objects: patched.objects.map((o) => stamp(o, input)) };
}
