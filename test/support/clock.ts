/** A clock that stands still until a test moves it, so thresholds can be hit exactly. */
export function testClock(start = Date.now()) {
  let now = start;
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}
export type TestClock = ReturnType<typeof testClock>;
