import { lookup } from 'node:dns/promises';
import type { Resolve } from '../webhooks/url-policy.js';

/** A resolution that takes longer counts as "does not resolve" (getaddrinfo has no timeout of its own). */
const RESOLVE_TIMEOUT_MS = 5_000;

/** Every address the system resolver gives for a name (A and AAAA), as the webhook checks need. */
export const dnsResolve: Resolve = async (hostname) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no DNS answer within ${RESOLVE_TIMEOUT_MS / 1000} s`)), RESOLVE_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]);
    return found.map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
};
