import { describe, expect, it } from 'vitest';
import { isLongPoll, overloaded } from '../../worker/node/shed.js';

describe('admission control answer', () => {
  it('is a 503 problem with a Retry-After spread between 2 and 10 s', async () => {
    const low = overloaded(() => 0);
    const high = overloaded(() => 0.999);
    expect(low.status).toBe(503);
    expect(low.headers.get('content-type')).toBe('application/problem+json');
    expect(low.headers.get('retry-after')).toBe('2');
    expect(high.headers.get('retry-after')).toBe('10');
    expect(await low.json()).toMatchObject({ status: 503, code: 'overloaded' });
  });

  it('does not count long polls, which wait by design', () => {
    expect(isLongPoll(new Request('http://x/v1/connector/watch?revision=1'))).toBe(true);
    expect(isLongPoll(new Request('http://x/v1/connector/heartbeat'))).toBe(false);
  });
});
