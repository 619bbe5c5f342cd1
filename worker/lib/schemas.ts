import { z } from '@hono/zod-openapi';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const DnsLabel = z
  .string()
  .max(63, { error: 'must be at most 63 characters' })
  .regex(DNS_LABEL, { error: 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit' });

export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

export const isLabelValue = (v: string) => v === '' || (v.length <= 63 && LABEL_NAME.test(v));

/** Labels an object may carry (API.md, Conventions → Limits): a selector is evaluated against all of them. */
export const MAX_LABELS = 64;

const KEY_RULE = 'label keys are [prefix/]name, name <= 63 characters of [A-Za-z0-9-_.]';
const VALUE_RULE = 'label values are <= 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric';

/** Kubernetes label rules and the label count, checked in one pass so that every problem is listed together. */
export const Labels = z
  .record(z.string(), z.string())
  .superRefine((labels, ctx) => {
    const keys = Object.keys(labels);
    if (keys.length > MAX_LABELS) ctx.addIssue({ code: 'custom', message: `${keys.length} labels; at most ${MAX_LABELS} are allowed` });
    for (const k of keys) {
      if (!isLabelKey(k)) ctx.addIssue({ code: 'custom', path: [k], message: `key ${JSON.stringify(k)}: ${KEY_RULE}` });
      if (!isLabelValue(labels[k]!)) ctx.addIssue({ code: 'custom', path: [k], message: VALUE_RULE });
    }
  })
  .openapi({ example: { env: 'prod' }, maxProperties: MAX_LABELS });

const readOnly = () =>
  z
    .unknown()
    .refine(() => false, { error: 'is read-only' })
    .optional()
    .openapi({ readOnly: true, description: 'read-only: rejected when sent' });

/** What a client may send under `metadata`; read-only fields are named as such when sent. */
export const MetadataIn = z.strictObject({
  name: z.string().optional(),
  labels: Labels.optional(),
  uid: readOnly(),
  createdAt: readOnly(),
  updatedAt: readOnly(),
  generation: readOnly(),
  resourceVersion: readOnly(),
});

/** A PUT body: `{ metadata?, spec }`; `status` is never writable. */
export function putBody<S extends z.ZodType>(spec: S) {
  return z.strictObject({ metadata: MetadataIn.optional(), spec, status: readOnly() });
}

export const MetadataOut = z
  .object({
    name: z.string(),
    labels: z.record(z.string(), z.string()),
    uid: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    generation: z.number().int(),
    resourceVersion: z.string(),
  })
  .openapi('ObjectMeta');

export function resourceOut<S extends z.ZodType, T extends z.ZodType>(name: string, spec: S, status: T) {
  return z.object({ metadata: MetadataOut, spec, status }).openapi(name);
}

export function listOut<I extends z.ZodType>(name: string, item: I) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
}

/** `limit` and `cursor`, as every paged list takes them. */
export const PageQuery = z.object({
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, { error: 'limit must be a positive integer' })
    .optional()
    .openapi({ param: { description: 'page size, default 50, at most 500 (larger is clamped)' } }),
  cursor: z.string().optional().openapi({ param: { description: 'nextCursor from the previous page' } }),
});

export const ListQuery = PageQuery.extend({
  labelSelector: z.string().optional().openapi({ param: { description: 'Kubernetes label selector' } }),
});

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z
      .array(z.object({ pointer: z.string(), in: z.string().optional(), message: z.string() }))
      .optional(),
  })
  .openapi('Problem');
