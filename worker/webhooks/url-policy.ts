import { classifyAddress, type AddressClass } from './addresses.js';

/** Every address a host name resolves to (A and AAAA); throws when it does not resolve. */
export type Resolve = (hostname: string) => Promise<string[]>;

export interface UrlPolicy {
  /** FLEETPLANE_WEBHOOK_ALLOW_PRIVATE: loopback and private addresses may be reached (local use) */
  allowPrivate: boolean;
  /**
   * The host's DNS, where the runtime has one (Node). Workers have no DNS API:
   * there only IP literals and `localhost` names can be checked, and the
   * address a name leads to is whatever Cloudflare's network resolves it to.
   */
  resolve: Resolve | undefined;
}

export type UrlVerdict =
  /** `address`: the checked address to connect to; undefined when the name was not resolved here (Workers) */
  | { ok: true; address: string | undefined }
  | { ok: false; refused: boolean; reason: string };

/** `localhost` and its subdomains mean this machine (RFC 6761), whatever a resolver says. */
const isLocalhostName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

function refusal(cls: AddressClass, what: string, allowPrivate: boolean): UrlVerdict | undefined {
  if (cls === 'link-local') return { ok: false, refused: true, reason: `${what} is link-local (169.254.0.0/16, fe80::/10), which webhooks never reach` };
  if (cls === 'private' && !allowPrivate) {
    return { ok: false, refused: true, reason: `${what} is a loopback or private address; webhooks reach those only with FLEETPLANE_WEBHOOK_ALLOW_PRIVATE=true` };
  }
  return undefined;
}

/**
 * Whether a webhook may be sent to `url`, checked at PUT and again before
 * every attempt (a name may resolve elsewhere by then). Every address the name
 * resolves to must pass; the first is the one to connect to, so that the
 * request goes where the check looked. `refused` is false when the name could
 * not be resolved: not a verdict on the URL, only on this attempt.
 */
export async function checkUrl(url: URL, policy: UrlPolicy): Promise<UrlVerdict> {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const literal = classifyAddress(host);
  if (literal) return refusal(literal, host, policy.allowPrivate) ?? { ok: true, address: host.replace(/^\[|\]$/g, '') };
  if (isLocalhostName(host)) {
    const refused = refusal('private', host, policy.allowPrivate);
    if (refused) return refused;
  }
  if (!policy.resolve) return { ok: true, address: undefined };
  let addresses: string[];
  try {
    addresses = await policy.resolve(host);
  } catch (err) {
    return { ok: false, refused: false, reason: `${host} does not resolve: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (addresses.length === 0) return { ok: false, refused: false, reason: `${host} does not resolve` };
  for (const a of addresses) {
    const r = refusal(classifyAddress(a) ?? 'private', `${host} resolves to ${a}, which`, policy.allowPrivate);
    if (r) return r;
  }
  return { ok: true, address: addresses[0] };
}
