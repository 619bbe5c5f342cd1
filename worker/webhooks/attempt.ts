import { Webhook } from 'standardwebhooks';
import type { ClaimedDelivery } from './claim.js';
import { ATTEMPT_TIMEOUT_MS } from './schedule.js';
import { NoAnswer, type Transport } from './transport.js';
import { checkUrl, type UrlPolicy } from './url-policy.js';

export interface AttemptOutcome {
  delivered: boolean;
  /** the receiver's status; null when none answered (refused address, network error, timeout) */
  statusCode: number | null;
  error?: string;
}

export interface AttemptOptions {
  policy: UrlPolicy;
  transport: Transport;
  timeoutMs?: number;
}

const USER_AGENT = 'Fleetplane-Webhooks/1';

const describeError = (err: unknown): string => {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
};

/**
 * One attempt: the URL checked again (the name may resolve elsewhere since
 * the PUT), signed for this moment, sent to the checked address. A refused
 * address is a failed attempt that sends nothing.
 */
export async function attemptDelivery(d: ClaimedDelivery, o: AttemptOptions, at: Date): Promise<AttemptOutcome> {
  let url: URL;
  try {
    url = new URL(d.url);
  } catch {
    return { delivered: false, statusCode: null, error: 'the webhook URL is not valid' };
  }
  const verdict = await checkUrl(url, o.policy);
  if (!verdict.ok) return { delivered: false, statusCode: null, error: `not sent: ${verdict.reason}` };
  const headers = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': d.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(d.secret).sign(d.id, at, d.body),
  };
  try {
    const answer = await o.transport({ url, address: verdict.address, headers, body: d.body, timeoutMs: o.timeoutMs ?? ATTEMPT_TIMEOUT_MS });
    if (answer.status >= 200 && answer.status < 300) return { delivered: true, statusCode: answer.status };
    const what = answer.status >= 300 && answer.status < 400 ? `answered ${answer.status} (redirects are not followed)` : `answered ${answer.status}`;
    return { delivered: false, statusCode: answer.status, error: answer.excerpt ? `${what}: ${answer.excerpt}` : what };
  } catch (err) {
    return { delivered: false, statusCode: null, error: err instanceof NoAnswer ? err.message : `could not send: ${describeError(err)}` };
  }
}
