import { z } from '@hono/zod-openapi';
import { valid as semverValid } from 'semver';
import { DnsLabel, Labels } from '../lib/schemas.js';

export const SemVer = z
  .string()
  .max(64)
  .refine((v) => semverValid(v) === v, { error: 'must be a semantic version such as 1.2.3' });

export const LabelSelector = z
  .strictObject({
    matchLabels: Labels.optional(),
    matchExpressions: z
      .array(
        z
          .strictObject({
            key: z.string().min(1).max(316),
            operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
            values: z.array(z.string().max(63)).optional(),
          })
          .refine((e) => (e.operator === 'In' || e.operator === 'NotIn') === (e.values !== undefined && e.values.length > 0), {
            error: 'In and NotIn need values; Exists and DoesNotExist take none',
            path: ['values'],
          }),
      )
      .max(32)
      .optional(),
  })
  .openapi('LabelSelector');

export const Placement = z
  .strictObject({ clusters: z.array(DnsLabel).max(10_000).optional(), selector: LabelSelector.optional() })
  .openapi('Placement', { description: 'clusters named, or selected by labels (either is enough); `selector: {}` selects every cluster' });

const Patch = z
  .strictObject({
    target: z.strictObject({ kind: z.string().min(1).max(253), name: z.string().min(1).max(253) }),
    op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
    path: z.string().regex(/^(\/.*)?$/, { error: 'must be a JSON pointer such as /spec/replicas' }),
    value: z.unknown().optional(),
    from: z.string().regex(/^(\/.*)?$/).optional(),
  })
  .superRefine((p, ctx) => {
    if (['add', 'replace', 'test'].includes(p.op) && !('value' in p)) ctx.addIssue({ code: 'custom', path: ['value'], message: `op "${p.op}" needs a value` });
    if (['move', 'copy'].includes(p.op) && p.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: `op "${p.op}" needs from` });
  });

const Override = z
  .strictObject({
    clusters: z.array(DnsLabel).optional(),
    selector: LabelSelector.optional(),
    values: z.record(z.string(), z.unknown()).optional(),
    patches: z.array(Patch).max(100).optional(),
  })
  .refine((o) => o.clusters !== undefined || o.selector !== undefined, { error: 'an override needs clusters or a selector' });

export const AppSpec = z
  .strictObject({
    template: z.strictObject({ name: DnsLabel, version: SemVer, catalog: z.boolean().optional() }),
    namespace: DnsLabel,
    values: z.record(z.string(), z.unknown()).optional(),
    placement: Placement,
    overrides: z.array(Override).max(100).optional(),
    rollout: z
      .strictObject({
        strategy: z.enum(['All', 'Progressive']),
        maxUnavailable: z.number().int().min(1).optional()
          .openapi({ description: 'clusters of a wave updated at a time (default: the whole wave)' }),
        waves: z.array(LabelSelector).max(20).optional()
          .openapi({ description: 'label selectors, in order; placed clusters that no wave selects form one last wave' }),
        pauseOnFailure: z.boolean().optional().openapi({ description: 'a Failed cluster pauses the rollout until POST .../resume' }),
        progressDeadlineSeconds: z.number().int().min(1).max(86_400).optional()
          .openapi({ description: 'a released cluster not Ready this long after counts as Failed (default 600)' }),
      })
      .superRefine((r, ctx) => {
        if (r.strategy === 'Progressive') return;
        for (const key of ['maxUnavailable', 'waves', 'pauseOnFailure', 'progressDeadlineSeconds'] as const) {
          if (r[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} needs strategy Progressive` });
        }
      })
      .optional(),
    deletionPolicy: z.enum(['Delete', 'Orphan']).optional(),
  })
  .openapi('AppSpec');

const Quantity = z.string().regex(/^[+]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/, {
  error: 'must be a Kubernetes quantity such as 500m, 2 or 4Gi',
});

export const NamespaceSpec = z
  .strictObject({
    placement: Placement,
    quota: z.strictObject({ cpu: Quantity.optional(), memory: Quantity.optional(), pods: z.number().int().min(0).optional() }).optional(),
    labels: Labels.optional(),
  })
  .openapi('NamespaceSpec');

const Resource = z.object({
  apiVersion: z.string(), kind: z.string(), namespace: z.string().optional(), name: z.string(),
  health: z.enum(['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown']), message: z.string().optional(),
});

/** Status shared by apps and federated namespaces: rolled up from every placed cluster. */
export const PlacedStatus = {
  phase: z.enum(['Ready', 'Failed', 'Paused', 'Unknown', 'Progressing']),
  observedGeneration: z.number().int(),
  summary: z.object({
    clusters: z.number().int(), ready: z.number().int(), progressing: z.number().int(), failed: z.number().int(), unknown: z.number().int(),
    suspended: z.number().int(),
  }),
  message: z.string().optional(),
  clusters: z.array(z.object({
    name: z.string(),
    phase: z.enum(['Pending', 'Progressing', 'Ready', 'Failed', 'Suspended', 'Unknown']),
    revision: z.number().int().nullable(),
    message: z.string().optional(),
    resources: z.array(Resource),
  })),
};
