/** What every fault scenario sets up: a database on the throwaway cluster, a server, a tenant with a template. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openNodePostgres } from '../../db/node-postgres.js';
import { generatePrivateJwk } from '../../worker/auth/signing-keys.js';
import { call, expectStatus } from '../fixtures.js';

export const TENANT = 'faults';

export const TEMPLATE_VERSION = {
  parameters: { type: 'object', additionalProperties: false, properties: { greeting: { type: 'string', default: 'hello' } } },
  manifests: `apiVersion: v1
kind: ConfigMap
metadata:
  name: \${app.name}
data:
  greeting: \${values.greeting}
`,
};

/** A new, migrated database on the throwaway cluster. */
export async function freshDatabase(clusterUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = clusterUrl.replace(/\/postgres$/, `/${name}`);
  const { pool, migrate } = openNodePostgres(url, 1);
  try {
    await migrate();
  } finally {
    await pool.end();
  }
  return url;
}

export async function serverEnv(databaseUrl: string, adminToken: string, signingKey: string, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: databaseUrl,
    FLEETPLANE_ADMIN_TOKEN: adminToken,
    FLEETPLANE_SIGNING_KEY: signingKey,
    FLEETPLANE_DATA_DIR: mkdtempSync(join(tmpdir(), 'fleetplane-faults-')),
    ...extra,
  };
}

export const newSigningKey = async () => JSON.stringify(await generatePrivateJwk());

export async function putTemplate(url: string, adminToken: string) {
  const base = `/v1/tenants/${TENANT}`;
  await expectStatus(201, 'PUT template', call(url, 'PUT', `${base}/templates/hello`, adminToken, { spec: { description: 'hello', category: 'web' } }));
  await expectStatus(201, 'PUT template version', call(url, 'PUT', `${base}/templates/hello/versions/1.0.0`, adminToken, { spec: TEMPLATE_VERSION }));
}

export const appSpec = (greeting: string, selector: Record<string, string>) => ({
  template: { name: 'hello', version: '1.0.0' },
  namespace: 'faults',
  values: { greeting },
  placement: { selector: { matchLabels: selector } },
});
