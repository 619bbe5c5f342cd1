import type { Context, Hono } from 'hono';
import { EventRows, EventsTable, readEvents } from '../components/events.js';
import { ChoiceFilter, FilterForm, TextFilter } from '../components/filters.js';
import { Pager } from '../components/pager.js';
import { ProblemAlert, type Problem } from '../components/problem.js';
import type { ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';

const ROWS_ID = 'events-rows';
const KINDS = ['Cluster', 'App', 'Namespace'];

const Filters = ({ url }: { url: URL }) => (
  <FilterForm label="Filter events">
    <ChoiceFilter url={url} label="Kind" name="kind" options={KINDS} />
    <TextFilter url={url} label="Object" name="object" placeholder="a cluster’s or app’s name" />
  </FilterForm>
);

async function eventsPage(c: Context<ConsoleEnv>) {
  const ctx = c.get('console');
  const q = (n: string) => ctx.url.searchParams.get(n) || undefined;
  const answer = await readEvents(ctx, { kind: q('kind'), object: q('object'), cursor: q('cursor') });
  const problem = answer.ok ? undefined : (answer.body as unknown as Problem);
  const list = answer.ok ? answer.body : { items: [], nextCursor: null };
  const self = ctx.url.pathname + ctx.url.search;
  // only the first page follows the feed: a later page would shift under the reader
  const trigger = q('cursor') ? 'none' : 'sse:Cluster, sse:App, sse:Namespace';
  const rows = <EventRows id={ROWS_ID} items={list.items} now={c.get('deps').now()} self={self} trigger={trigger} />;
  if (c.req.header('hx-target') === ROWS_ID) return c.html(rows);
  return c.html(
    <Page ctx={ctx} title="Events" section="Events">
      <Filters url={ctx.url} />
      <ProblemAlert problem={problem} />
      <EventsTable caption="Events">{rows}</EventsTable>
      <Pager url={ctx.url} nextCursor={list.nextCursor} label="Events" />
    </Page>,
    problem ? (problem.status as 400) : 200,
  );
}

export function mountEvents(app: Hono<ConsoleEnv>) {
  app.get('/t/:tenant/events', eventsPage);
}
