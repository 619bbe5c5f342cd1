import { claimDue, nextDueAt, type ClaimedDelivery } from '../webhooks/claim.js';
import { sendClaimed, type Sender } from '../webhooks/deliver.js';
import { PER_TENANT } from '../webhooks/schedule.js';

/**
 * Looked at even when nothing woke this replica: deliveries another replica
 * wrote and then died holding, or a lease that ran out.
 */
const POLL_MS = 30_000;
/** Never claim again sooner than this on a timer, whatever is due: a row that cannot be claimed must not spin the loop. */
const MIN_TIMER_MS = 50;

export interface DeliveryLoopOptions extends Sender {
  perTenant?: number;
  pollMs?: number;
}

/**
 * Node's webhook sender, one per replica: woken when a commit enqueued
 * deliveries, and by a timer for the next retry. Each round claims what is
 * due (leased, so replicas never send the same delivery at once) and starts
 * every send without waiting for it: a tenant with `perTenant` sends in flight
 * gets no more until one ends, and no tenant's slow receiver holds up a round,
 * so others' deliveries go out while it hangs.
 */
export class DeliveryLoop {
  private readonly inflight = new Map<string, number>();
  private readonly sends = new Set<Promise<void>>();
  private claiming: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly o: DeliveryLoopOptions) {}

  private get perTenant() {
    return this.o.perTenant ?? PER_TENANT;
  }

  /** Claims and sends what is due now (what a restart left over, on start). */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.round()
      .catch((err) => {
        console.error('webhook deliveries: claiming failed:', err);
        this.arm(this.o.pollMs ?? POLL_MS); // the database may be back by then
      })
      .finally(() => {
        this.claiming = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        } else this.checkIdle();
      });
  }

  private busyTenants() {
    return [...this.inflight].filter(([, n]) => n >= this.perTenant).map(([t]) => t);
  }

  private async round() {
    const claimed = await claimDue(this.o.db, this.o.now(), { perTenant: this.perTenant, skipTenants: this.busyTenants() });
    for (const d of claimed) this.send(d);
    const next = await nextDueAt(this.o.db, this.busyTenants());
    const poll = this.o.pollMs ?? POLL_MS;
    this.arm(next ? Math.min(Math.max(next.getTime() - this.o.now().getTime(), MIN_TIMER_MS), poll) : poll);
  }

  /** The next round `ms` from now, unless something wakes the loop earlier. */
  private arm(ms: number) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref(); // never what keeps the process alive
  }

  private send(d: ClaimedDelivery) {
    this.inflight.set(d.tenantId, (this.inflight.get(d.tenantId) ?? 0) + 1);
    const sending: Promise<void> = sendClaimed(this.o, d)
      .then(() => {}, (err) => console.error(`webhook delivery ${d.id} could not be recorded:`, err))
      .finally(() => {
        const left = (this.inflight.get(d.tenantId) ?? 1) - 1;
        if (left > 0) this.inflight.set(d.tenantId, left);
        else this.inflight.delete(d.tenantId);
        this.sends.delete(sending);
        // the tenant may have more waiting, held back while it was at its limit
        this.wake();
        this.checkIdle();
      });
    this.sends.add(sending);
  }

  private checkIdle() {
    if (this.claiming || this.sends.size > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once no round is running and no send is in flight (tests wait on it after moving the clock). */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.checkIdle();
    });
  }

  /** Claims nothing more and waits for the sends in flight (each ends within the attempt timeout). */
  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.claiming;
    await Promise.all([...this.sends]);
  }
}
