/**
 * Production runs the worker's `scheduled` handler from the cron trigger in
 * wrangler.toml; `wrangler dev` never fires it. This fires it as the trigger
 * would, each minute, through wrangler's `/__scheduled` route (started with
 * `--test-scheduled`); `curl "$URL/__scheduled?cron=*+*+*+*+*"` fires it at once.
 */
export function startCronTicker(url: string, everyMs = 60_000): () => Promise<void> {
  const timer = setInterval(() => {
    fetch(`${url}/__scheduled?cron=${encodeURIComponent('* * * * *')}`).then(
      (res) => res.body?.cancel(),
      (err) => console.error(`scheduled run: ${err instanceof Error ? err.message : err}`),
    );
  }, everyMs);
  timer.unref();
  return async () => clearInterval(timer);
}
