import type { ConsoleCtx } from '../context.js';
import { tenantPath } from '../context.js';
import { Phase } from '../components/phase.js';
import { SecretOnce } from '../components/secret-once.js';
import { Page } from '../layout.js';

export const JOIN_PHASE_ID = 'join-phase';

/** The new cluster's phase, fetched again (from the cluster's page) whenever a cluster of the tenant changes. */
export const JoinPhase = ({ ctx, cluster, phase }: { ctx: ConsoleCtx; cluster: string; phase: string }) => (
  <p id={JOIN_PHASE_ID} hx-get={tenantPath(ctx.tenant, `/clusters/${encodeURIComponent(cluster)}`)} hx-trigger="sse:Cluster" hx-target="this" hx-swap="outerHTML" aria-live="polite">
    Phase: <Phase value={phase} />
    {phase === 'Pending' ? ' — waiting for the connector’s first heartbeat.' : ''}
  </p>
);

/**
 * The join command, shown once: it holds a single-use join token, so it is the
 * answer to the POST that minted it and never part of a URL (a link would
 * leak it to history and logs). Another command can be minted at any time.
 */
export function JoinPage({ ctx, cluster, command, expiresAt, phase }: { ctx: ConsoleCtx; cluster: string; command: string; expiresAt: string; phase: string }) {
  return (
    <Page ctx={ctx} title={`Join ${cluster}`} section="Clusters">
      <p>Run this where <code>kubectl</code> reaches the cluster. The connector dials out to Fleetplane: nothing inbound is opened.</p>
      <SecretOnce id="join-command" label="The join command" value={command} />
      <p><small>The command works once, until <time datetime={expiresAt}>{expiresAt}</time>.</small></p>
      <JoinPhase ctx={ctx} cluster={cluster} phase={phase} />
      <p><a href={tenantPath(ctx.tenant, `/clusters/${encodeURIComponent(cluster)}`)}>Go to {cluster}</a></p>
    </Page>
  );
}

/** Mints a join command through the API and shows it (status 201), or answers the API's problem. */
export async function mintJoin(ctx: ConsoleCtx, cluster: string) {
  const path = `/v1/tenants/${ctx.tenant}/clusters/${encodeURIComponent(cluster)}`;
  const minted = await ctx.api<{ command: string; expiresAt: string }>('POST', `${path}/join-tokens`, {});
  if (!minted.ok) return { problem: minted.body as never, status: minted.status };
  const got = await ctx.api<{ status: { phase: string } }>('GET', path);
  return { page: <JoinPage ctx={ctx} cluster={cluster} command={minted.body.command} expiresAt={minted.body.expiresAt} phase={got.body.status?.phase ?? 'Pending'} /> };
}
