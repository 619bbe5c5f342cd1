/** The slice of the `cloudflare:test` module (from @cloudflare/vitest-plugin) the workerd tests use. */
declare module 'cloudflare:test' {
  /** Runs `callback` inside the Durable Object behind `stub`. */
  export function runInDurableObject<O, R>(stub: unknown, callback: (instance: O, state: unknown) => R | Promise<R>): Promise<R>;
  /** Tears the Durable Object down; its hibernatable WebSockets stay open (hibernated). */
  export function evictDurableObject(stub: unknown, options?: { webSockets?: 'close' | 'hibernate' }): Promise<void>;
  /** The first argument of a `scheduled()` handler. */
  export function createScheduledController(options?: { scheduledTime?: Date | number; cron?: string }): { scheduledTime: number; cron: string };
  /** The third argument of a handler; `waitOnExecutionContext` settles what it was given to wait for. */
  export function createExecutionContext(): { waitUntil(promise: Promise<unknown>): void };
  export function waitOnExecutionContext(ctx: { waitUntil(promise: Promise<unknown>): void }): Promise<void>;
  /** Runs the Durable Object's scheduled alarm now, if it has one; whether one ran. */
  export function runDurableObjectAlarm(stub: unknown): Promise<boolean>;
}
