import { applyJsonPatch } from './json-patch.js';
import { kubeObjectProblem } from './kube-object.js';
import type { FieldError, KubeObject, RenderInput } from './types.js';

/**
 * Applies the matching overrides' RFC 6902 patches, in spec order, to every
 * object whose kind and name equal the patch's target. A patch that finds no
 * object, cannot be applied, or leaves something that is no longer a
 * Kubernetes object is an error at /spec/overrides/{i}/patches/{j}; the
 * object then stays as it was before that patch.
 */
export function applyPatches(objects: KubeObject[], input: RenderInput): { objects: KubeObject[]; errors: FieldError[] } {
  const out = [...objects];
  const errors: FieldError[] = [];
  for (const { index, override } of input.overrides) {
    (override.patches ?? []).forEach((patch, j) => {
      const fail = (reason: string) =>
        errors.push({
          pointer: `/spec/overrides/${index}/patches/${j}`,
          message: `cluster "${input.cluster.name}": ${patch.op} ${patch.path} on ${patch.target.kind} ${patch.target.name}: ${reason}`,
        });
      const targets = out.flatMap((o, k) => (o.kind === patch.target.kind && o.metadata.name === patch.target.name ? [k] : []));
      if (targets.length === 0) {
        fail(`no ${patch.target.kind} named "${patch.target.name}" in the rendered objects`);
        return;
      }
      for (const k of targets) {
        const result = applyJsonPatch(out[k]!, patch);
        if (!result.ok) {
          fail(result.reason);
          continue;
        }
        const problem = kubeObjectProblem(result.doc);
        if (problem) fail(`the patched object ${problem}`);
        else out[k] = result.doc;
      }
    });
  }
  return { objects: out, errors };
}
