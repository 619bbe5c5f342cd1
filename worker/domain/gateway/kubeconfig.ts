import { stringify } from 'yaml';

export interface KubeconfigFor {
  /** the Fleetplane base URL (public URL, else the request's origin) */
  base: string;
  tenant: string;
  cluster: string;
}

/** The path of a cluster's gateway under the Fleetplane base URL. */
export const gatewayPath = (tenant: string, cluster: string) => `/v1/tenants/${tenant}/clusters/${cluster}/proxy`;

/**
 * A kubeconfig for one cluster through the gateway. Its user is an exec
 * credential that runs `fleetplane credential` (client.authentication.k8s.io/v1):
 * the file holds no secret, so it can be shared and stays valid while the
 * caller's token is rotated. Named per tenant and cluster, so that files for
 * several clusters merge (`KUBECONFIG=a:b`) without clashing.
 */
export function kubeconfigYaml({ base, tenant, cluster }: KubeconfigFor): string {
  const name = `${tenant}/${cluster}`;
  const host = new URL(base).host;
  const user = `fleetplane@${host}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: `${base}${gatewayPath(tenant, cluster)}` } }],
    users: [{
      name: user,
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: 'fleetplane',
          // --url: the credential is only given for the server it was stored for
          args: ['credential', '--url', base],
          interactiveMode: 'Never',
          provideClusterInfo: false,
          installHint: `The Fleetplane CLI gives kubectl its token: npm install -g fleetplane, then fleetplane login --url ${base} --token <token>`,
        },
      },
    }],
    contexts: [{ name, context: { cluster: name, user } }],
    'current-context': name,
    preferences: {},
  });
}
