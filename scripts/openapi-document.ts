import type { DbProvider } from '../db/client.js';
import { createApp } from '../worker/app.js';
import { generatePrivateJwk, loadSigningKeys } from '../worker/auth/signing-keys.js';
import { LocalPush } from '../worker/push/local-push.js';
import { inlineRenderer } from '../worker/rendering/renderer.js';
import { outboxOnly } from '../worker/webhooks/deps.js';

/** The URL the generated document names in `servers` (where `npm start` listens). */
export const DOCUMENT_SERVER_URL = 'http://127.0.0.1:8787';

/** Serving the document reads no table, so the database is never opened for real. */
const noDatabase: DbProvider = {
  open: async () => ({ db: undefined as never, release: async () => {} }),
};

/** The app as a server builds it, minus a database: enough to serve `/openapi.json`. */
export async function documentApp(publicUrl: string | undefined) {
  return createApp({
    db: noDatabase,
    keys: await loadSigningKeys(JSON.stringify({ keys: [await generatePrivateJwk()] })),
    adminTokenHash: undefined,
    oidc: undefined,
    publicUrl,
    limits: { caller: 0, tenant: 0, connector: 0, authFailuresPerMinute: 0 },
    sourceOf: () => 'document',
    now: () => new Date(),
    push: new LocalPush(),
    renderer: inlineRenderer,
    webhooks: outboxOnly,
  });
}

/** The document `/openapi.json` answers, from an app built in this process. */
export async function openApiDocument(publicUrl: string = DOCUMENT_SERVER_URL): Promise<Record<string, unknown>> {
  const res = await (await documentApp(publicUrl)).request('/openapi.json');
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}
