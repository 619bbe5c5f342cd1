/** A clock the tests move by hand; starts at the real time. */
export function testClock() {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}
export type TestClock = ReturnType<typeof testClock>;
