import * as z from 'zod/mini';
import type { KubeObject } from './kube/types.js';
import { ANNOTATION_DELETION_POLICY, ANNOTATION_REVISION, LABEL_APP, LABEL_NAMESPACE, LABEL_TENANT } from './labels.js';

export type OwnerKind = 'App' | 'Namespace';

/** An app or a federated namespace, and the objects it wants in this cluster. */
export interface Owner {
  kind: OwnerKind;
  name: string;
  revision: number;
  generation: number;
  deletionPolicy: 'Delete' | 'Orphan';
  objects: KubeObject[];
}

export interface Desired {
  revision: number;
  tenant: string | undefined;
  owners: Owner[];
  /** objects that name no owner (or a different tenant): never applied, reported */
  rejected: { object: KubeObject; reason: string }[];
}

const nonEmpty = () => z.string().check(z.minLength(1));

const KubeObjectSchema = z.looseObject({
  apiVersion: nonEmpty(),
  kind: nonEmpty(),
  metadata: z.looseObject({ name: nonEmpty(), namespace: z.optional(z.string()) }),
});

const AnswerSchema = z.object({
  revision: z.int().check(z.minimum(0)),
  objects: z.array(KubeObjectSchema),
  apps: z.optional(z.array(z.object({
    kind: z.enum(['App', 'Namespace']), name: nonEmpty(), revision: z.int(),
    generation: z.optional(z.int()), deletionPolicy: z.optional(z.enum(['Delete', 'Orphan'])),
  }))),
});

export const ownerKey = (kind: OwnerKind, name: string) => `${kind}/${name}`;

/** Which owner an object names in its labels. */
export function ownerOfObject(o: KubeObject): { kind: OwnerKind; name: string } | undefined {
  const labels = o.metadata.labels ?? {};
  if (labels[LABEL_APP]) return { kind: 'App', name: labels[LABEL_APP] };
  if (labels[LABEL_NAMESPACE]) return { kind: 'Namespace', name: labels[LABEL_NAMESPACE] };
  return undefined;
}

/**
 * Validates a desired-state answer and groups its objects by owner. A missing
 * `apps` list is derived from the labels and revision annotations. A body that
 * does not validate throws: a malformed answer is never read as "nothing desired".
 */
export function parseDesired(body: unknown): Desired {
  const a = AnswerSchema.parse(body);
  const owners = new Map<string, Owner>();
  for (const o of a.apps ?? []) {
    owners.set(ownerKey(o.kind, o.name), {
      kind: o.kind, name: o.name, revision: o.revision, generation: o.generation ?? 0, deletionPolicy: o.deletionPolicy ?? 'Delete', objects: [],
    });
  }
  const rejected: Desired['rejected'] = [];
  let tenant: string | undefined;
  for (const raw of a.objects as KubeObject[]) {
    const t = raw.metadata.labels?.[LABEL_TENANT];
    const owner = ownerOfObject(raw);
    if (!t || !owner) {
      rejected.push({ object: raw, reason: `missing the ${LABEL_TENANT} and ${LABEL_APP} (or ${LABEL_NAMESPACE}) labels` });
      continue;
    }
    if (tenant !== undefined && t !== tenant) {
      rejected.push({ object: raw, reason: `belongs to tenant ${t}, not ${tenant}` });
      continue;
    }
    tenant = t;
    const key = ownerKey(owner.kind, owner.name);
    let group = owners.get(key);
    if (!group) {
      const revision = Number(raw.metadata.annotations?.[ANNOTATION_REVISION] ?? a.revision);
      const orphan = raw.metadata.annotations?.[ANNOTATION_DELETION_POLICY] === 'Orphan';
      group = { ...owner, revision: Number.isFinite(revision) ? revision : a.revision, generation: 0, deletionPolicy: orphan ? 'Orphan' : 'Delete', objects: [] };
      owners.set(key, group);
    }
    group.objects.push(raw);
  }
  return { revision: a.revision, tenant, owners: [...owners.values()], rejected };
}
