import type { UrlPolicy } from './url-policy.js';

/** What the app needs for webhooks from its host: the URL rules, and who sends what a request enqueued. */
export interface WebhookDeps extends UrlPolicy {
  /**
   * Called after a request whose committed work enqueued deliveries for these
   * tenants: Node wakes its sender; Workers send them (kept alive with waitUntil).
   */
  enqueued(tenantIds: string[]): Promise<void>;
}

/** For apps that send no webhooks themselves (the OpenAPI document, benches): deliveries wait in the outbox. */
export const outboxOnly: WebhookDeps = { allowPrivate: false, resolve: undefined, enqueued: async () => {} };
