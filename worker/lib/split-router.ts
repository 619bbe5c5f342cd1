import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { TrieRouter } from 'hono/router/trie-router';

/**
 * Hono's RegExpRouter matches a path with one regular expression, but refuses
 * a static segment beside a parameter under a parameter, which the console's
 * pages have (`/console/t/:tenant/clusters/new` beside `.../:cluster`). With
 * the console in the same app, Hono fell back to its trie router for every
 * request; its search was 7% of an idle poll's CPU. So the API's paths go to
 * a RegExpRouter and the console's to a trie router; a route that could match
 * both (global middleware: `*`, `/*`) is added to both, in the same order, so
 * each path still runs its handlers in the order they were registered.
 */
export class SplitRouter<T> implements Router<T> {
  name = 'SplitRouter';
  private readonly api = new RegExpRouter<T>();
  private readonly console = new TrieRouter<T>();

  constructor(private readonly prefix = '/console') {}

  add(method: string, path: string, handler: T) {
    const consoleOnly = path === this.prefix || path.startsWith(`${this.prefix}/`);
    const both = path === '*' || path === '/*';
    if (consoleOnly || both) this.console.add(method, path, handler);
    if (!consoleOnly) this.api.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    return path === this.prefix || path.startsWith(`${this.prefix}/`) ? this.console.match(method, path) : this.api.match(method, path);
  }
}
