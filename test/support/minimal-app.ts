import { sharedDb, type Db } from '../../db/client.js';
import { createApp } from '../../worker/app.js';
import { generatePrivateJwk, loadSigningKeys } from '../../worker/auth/signing-keys.js';
import { sha256Hex } from '../../worker/lib/crypto.js';
import { LocalPush } from '../../worker/push/local-push.js';
import { inlineRenderer } from '../../worker/rendering/renderer.js';
import { outboxOnly } from '../../worker/webhooks/deps.js';

/**
 * The app on a database handle a test opened itself (one that cannot be
 * reached, or behind a path it breaks), with nothing else: no rate limits,
 * renders inline, webhooks left in the outbox; `adminToken` is the platform
 * admin's, when one is needed.
 */
export async function minimalApp(db: Db, adminToken?: string) {
  return createApp({
    db: sharedDb(db),
    keys: await loadSigningKeys(JSON.stringify(await generatePrivateJwk())),
    adminTokenHash: adminToken ? await sha256Hex(adminToken) : undefined,
    oidc: undefined,
    publicUrl: undefined,
    limits: { caller: 0, tenant: 0, connector: 0, authFailuresPerMinute: 0 },
    sourceOf: () => 'test',
    now: () => new Date(),
    push: new LocalPush(),
    renderer: inlineRenderer,
    webhooks: outboxOnly,
  });
}
