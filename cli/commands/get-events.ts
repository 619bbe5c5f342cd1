import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import type { Api } from '../api.js';
import { EVENT_HEADER, eventCells, eventsAfter, idOf, newestEvents, parseFor, type Event } from '../events.js';
import { API_VERSION } from '../kinds.js';
import { padded, widthsOf } from '../table.js';

export interface EventOptions {
  output: 'table' | 'yaml' | 'json';
  for?: string;
  watch?: boolean;
  interval: string;
  limit: string;
}

export const isEventsKind = (word: string) => ['event', 'events'].includes(word.toLowerCase());

const write = (text: string) => process.stdout.write(text);

/**
 * Prints batches of events. Followed (--watch), JSON is one object per line
 * (what `jq` and log shippers read) and a table's columns widen as longer
 * cells arrive, since the rows already printed cannot move.
 */
class EventPrinter {
  private widths: number[] | undefined;
  private printed = 0;
  constructor(private readonly format: EventOptions['output'], private readonly following: boolean) {}

  print(events: Event[]) {
    if (this.format === 'json' && !this.following) write(`${JSON.stringify({ apiVersion: API_VERSION, kind: 'List', items: events }, null, 2)}\n`);
    else if (this.format === 'json') events.forEach((e) => write(`${JSON.stringify(e)}\n`));
    else if (this.format === 'yaml') events.forEach((e) => write(`${this.printed++ ? '---\n' : ''}${stringify(e)}`));
    else if (events.length) this.rows(events.map(eventCells));
  }

  private rows(rows: string[][]) {
    const header = this.widths ? [] : [EVENT_HEADER];
    const fresh = widthsOf([...header, ...rows]);
    this.widths = fresh.map((w, i) => Math.max(w, this.widths?.[i] ?? 0));
    write(`${padded([...header, ...rows], this.widths).join('\n')}\n`);
  }
}

function positive(value: string, flag: string) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} takes a positive number, not "${value}"`);
  return n;
}

/**
 * `fleetplane get events`: the newest events, newest first. With --watch the
 * page is printed oldest first instead, so that the stream reads as a
 * timeline whose newest line is the last, and newer events follow as they come
 * until Ctrl-C (exit 0: stopping a follow is how it ends).
 */
export async function getEvents(api: Api, tenant: string, o: EventOptions) {
  const filter = parseFor(o.for);
  const limit = Math.ceil(positive(o.limit, '--limit'));
  const intervalMs = positive(o.interval, '--interval') * 1000;
  const first = await newestEvents(api, tenant, filter, limit);
  const printer = new EventPrinter(o.output, Boolean(o.watch));
  if (!o.watch) {
    if (first.length === 0 && o.output === 'table') process.stderr.write('no events found\n');
    else printer.print(first);
    return;
  }
  printer.print([...first].reverse());
  let newest = first.length ? idOf(first[0]!) : undefined;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  try {
    for (;;) {
      await sleep(intervalMs, undefined, { signal: stop.signal }).catch(() => undefined);
      if (stop.signal.aborted) return;
      const fresh = await eventsAfter(api, tenant, filter, newest);
      printer.print(fresh);
      if (fresh.length) newest = idOf(fresh.at(-1)!);
    }
  } finally {
    process.off('SIGINT', onSignal);
  }
}
