/** A webhook's spec as stored: what was written, and the signing secret, always there once stored. */
export interface WebhookSpec {
  url: string;
  events?: string[];
  secret?: string;
}

/** The spec an answer shows: the secret only when `shown` (the PUT that set or generated it), where it was written. */
export function specShown(stored: WebhookSpec, shown: boolean): WebhookSpec {
  if (shown) return stored;
  const { secret: _secret, ...rest } = stored;
  return rest;
}
