/**
 * For a Durable Object the isolate can do without: `guard(ask)` answers what
 * `ask` answers, or undefined when it failed (threw, timed out), and for
 * `pauseMs` after a failure answers undefined without asking, so that a
 * hanging object does not make every request wait out its timeout. Each
 * outage is logged once (`message`), not once a request.
 */
export function outageGuard(message: string, pauseMs: number, now = Date.now) {
  let down = false;
  let downUntil = 0;
  return async <T>(ask: () => Promise<T>): Promise<T | undefined> => {
    if (down && now() < downUntil) return undefined;
    try {
      const answer = await ask();
      down = false;
      return answer;
    } catch (err) {
      if (!down) console.error(message, err);
      down = true;
      downUntil = now() + pauseMs;
      return undefined;
    }
  };
}
