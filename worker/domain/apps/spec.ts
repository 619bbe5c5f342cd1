import type { LabelSelector, Override } from '../../render/index.js';
import type { PlacementSpec } from '../placement/select.js';
import type { TemplateRef } from '../templates/resolve.js';

/** An app's spec as API.md defines it (validated by the route's schema before it gets here). */
export interface AppSpec {
  template: TemplateRef;
  namespace: string;
  values?: Record<string, unknown> | undefined;
  placement: PlacementSpec;
  overrides?: Override[] | undefined;
  rollout?: {
    strategy: 'All' | 'Progressive';
    maxUnavailable?: number | undefined;
    waves?: LabelSelector[] | undefined;
    pauseOnFailure?: boolean | undefined;
    progressDeadlineSeconds?: number | undefined;
  } | undefined;
  deletionPolicy?: 'Delete' | 'Orphan' | undefined;
}

export const deletionPolicyOf = (spec: { deletionPolicy?: 'Delete' | 'Orphan' | undefined }) => spec.deletionPolicy ?? 'Delete';
