/** JSON Schema fragments the catalog's parameter schemas share. */

/** Kubernetes resource quantities as people write them: 100m, 0.5, 128Mi, 1G. */
const QUANTITY = '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$';

export const quantity = (defaultValue: string, description?: string) => ({
  type: 'string',
  pattern: QUANTITY,
  default: defaultValue,
  ...(description ? { description } : {}),
});

export const image = (defaultValue: string) => ({
  type: 'string',
  pattern: '^[^\\s]+$',
  default: defaultValue,
  description: 'container image reference, e.g. registry.example.com/team/app:1.4.2',
});

type Pair = { cpu: string; memory: string };

/** A container's requests and limits; null for a field removes it (values merge like Helm's). */
export function resources(requests: Pair, limits: Pair) {
  const pair = (d: Pair) => ({
    type: 'object',
    additionalProperties: false,
    properties: { cpu: quantity(d.cpu), memory: quantity(d.memory) },
  });
  return {
    type: 'object',
    additionalProperties: false,
    description: 'container resource requests and limits',
    properties: { requests: pair(requests), limits: pair(limits) },
  };
}

export const port = (defaultValue: number) => ({ type: 'integer', minimum: 1, maximum: 65535, default: defaultValue });

/** The name of a Secret or ConfigMap (a DNS-1123 subdomain), or empty for none. */
export const optionalObjectName = (description: string) => ({
  type: 'string',
  pattern: '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  maxLength: 253,
  default: '',
  description,
});

export const envList = {
  type: 'array',
  default: [],
  description: 'environment variables for the container',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'value'],
    properties: { name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, value: { type: 'string' } },
  },
};
