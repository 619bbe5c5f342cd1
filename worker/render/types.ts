/** Shapes shared by the renderer and the code that calls it (routes, plan, desired state). */

/** One problem in a request body; `pointer` is an RFC 6901 pointer into that body, e.g. /spec/values/replicas. */
export interface FieldError {
  pointer: string;
  message: string;
}

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
} & Record<string, unknown>;

/** A template version, from a tenant or from the built-in catalog. */
export interface TemplateSource {
  name: string;
  version: string;
  catalog: boolean;
  parameters: Record<string, unknown>;
  manifests: string | unknown[];
}

export interface Patch {
  target: { kind: string; name: string };
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface Override {
  clusters?: string[];
  selector?: LabelSelector;
  values?: Record<string, unknown>;
  patches?: Patch[];
}

export interface RenderInput {
  template: TemplateSource;
  /** tenant name */
  tenant: string;
  app: { name: string; namespace: string; deletionPolicy: 'Delete' | 'Orphan' };
  cluster: { name: string; labels: Record<string, string> };
  /** the app's spec.values */
  values: Record<string, unknown>;
  /** only the overrides that match this cluster, in spec order; index = position in spec.overrides */
  overrides: { index: number; override: Override }[];
}

export type Rendered = { ok: true; objects: KubeObject[] } | { ok: false; errors: FieldError[] };
