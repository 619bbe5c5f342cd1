import type { Child } from 'hono/jsx';
import type { ConsoleCtx } from '../context.js';
import { Ago } from './ago.js';
import type { Listed } from './types.js';

export interface EventItem {
  id: string;
  kind: string;
  object: string;
  reason: string;
  message: string;
  at: string;
}

/** The tenant's events through the API, newest first; `kind`/`object` filter them. */
export async function readEvents(ctx: ConsoleCtx, q: { kind?: string | undefined; object?: string | undefined; cursor?: string | undefined; limit?: number }) {
  const params = new URLSearchParams({ limit: String(q.limit ?? 50) });
  for (const k of ['kind', 'object', 'cursor'] as const) if (q[k]) params.set(k, q[k]!);
  return ctx.api<Listed<EventItem>>('GET', `/v1/tenants/${ctx.tenant}/events?${params}`);
}

/** Rows of events; `id` lets a live trigger replace just this body. */
export function EventRows({ id, items, now, self, trigger }: { id: string; items: EventItem[]; now: Date; self: string; trigger: string }) {
  return (
    <tbody id={id} hx-get={self} hx-trigger={trigger} hx-target="this" hx-swap="outerHTML">
      {items.length === 0 && <tr><td colspan={5}>No events.</td></tr>}
      {items.map((e) => (
        <tr>
          <td><Ago at={e.at} now={now} /></td>
          <td>{e.kind}</td>
          <td>{e.object}</td>
          <td>{e.reason}</td>
          <td class="message">{e.message}</td>
        </tr>
      ))}
    </tbody>
  );
}

/** An events table with its caption and head around `rows`. */
export function EventsTable({ caption, children }: { caption: string; children: Child }) {
  return (
    <div class="table-scroll">
      <table>
        <caption>{caption}</caption>
        <thead><tr><th scope="col">Time</th><th scope="col">Kind</th><th scope="col">Object</th><th scope="col">Reason</th><th scope="col">Message</th></tr></thead>
        {children}
      </table>
    </div>
  );
}
