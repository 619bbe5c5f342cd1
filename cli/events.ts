/** Events of a tenant: which ones (`--for`), reading them page by page, and how they print. */
import type { components } from '../client/index.js';
import { expectOk, outcome, type Api } from './api.js';
import { kindNamed } from './kinds.js';

export type Event = components['schemas']['Event'];
type EventKind = Event['kind'];
export interface EventFilter { kind?: EventKind; object?: string }

const EVENT_KINDS: readonly string[] = ['Cluster', 'App', 'Namespace'] satisfies EventKind[];

/** `--for app/web` → kind App, object web; a kind alone (`--for clusters`) is every object of it. */
export function parseFor(arg: string | undefined): EventFilter {
  if (arg === undefined) return {};
  const slash = arg.indexOf('/');
  const k = kindNamed(slash < 0 ? arg : arg.slice(0, slash));
  const object = slash < 0 ? undefined : arg.slice(slash + 1);
  if (!k || !EVENT_KINDS.includes(k.kind) || object === '') {
    throw new Error(`--for takes KIND/NAME with KIND cluster, app or namespace (e.g. app/web), not "${arg}"`);
  }
  return { kind: k.kind as EventKind, ...(object ? { object } : {}) };
}

/** The API's page limit; a larger one would be clamped anyway. */
const MAX_PAGE = 500;

async function page(api: Api, tenant: string, f: EventFilter, limit: number, cursor: string | undefined) {
  const query = { ...f, limit: String(Math.min(MAX_PAGE, limit)), ...(cursor ? { cursor } : {}) };
  const o = await outcome<{ items: Event[]; nextCursor: string | null }>(api.GET('/v1/tenants/{tenant}/events', { params: { path: { tenant }, query } }));
  return expectOk(o, 'listing events');
}

/** The newest `count` events, newest first (as the API lists them), following cursors past one page. */
export async function newestEvents(api: Api, tenant: string, f: EventFilter, count: number): Promise<Event[]> {
  const found: Event[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(api, tenant, f, count - found.length, cursor);
    found.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor && found.length < count);
  return found;
}

/** Ids are increasing numbers sent as strings, beyond what a double holds exactly in the long run. */
export const idOf = (e: Event) => BigInt(e.id);

/**
 * The events newer than `after`, oldest first. Reading stops at the first page
 * that reaches an id already seen, so a burst larger than a page is not cut short.
 */
export async function eventsAfter(api: Api, tenant: string, f: EventFilter, after: bigint | undefined, pageSize = 100): Promise<Event[]> {
  const fresh: Event[] = [];
  let cursor: string | undefined;
  for (;;) {
    const p = await page(api, tenant, f, pageSize, cursor);
    for (const e of p.items) {
      if (after !== undefined && idOf(e) <= after) return fresh.reverse();
      fresh.push(e);
    }
    cursor = p.nextCursor ?? undefined;
    if (!cursor) return fresh.reverse();
  }
}

export const EVENT_HEADER = ['AT', 'KIND/OBJECT', 'REASON', 'MESSAGE'];

/** A table row; the time to the second, which is what a reader compares. */
export const eventCells = (e: Event) => [e.at.replace(/\.\d+Z$/, 'Z'), `${e.kind.toLowerCase()}/${e.object}`, e.reason, e.message];
