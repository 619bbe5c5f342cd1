/** A Kubernetes object as JSON: only the fields the connector reads are typed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    generation?: number;
    resourceVersion?: string;
    uid?: string;
    deletionTimestamp?: string;
    [k: string]: unknown;
  };
  spec?: any;
  status?: any;
  [k: string]: unknown;
}

/** Where an object lives: group/kind/namespace/name, as Flux's inventory and kstatus name it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string | undefined;
  name: string;
}

export const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

/** Flux's ObjMetadata string: `<namespace>_<name>_<group>_<kind>` (version kept apart: it can change). */
export const refId = (r: ObjectRef) => `${r.namespace ?? ''}_${r.name}_${groupOf(r.apiVersion)}_${r.kind}`;

export const refOf = (o: KubeObject): ObjectRef => ({
  apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
});

export const describe = (r: ObjectRef) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
