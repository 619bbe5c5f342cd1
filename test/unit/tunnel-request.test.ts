import { describe, expect, it } from 'vitest';
import type { OpenHead } from '../../worker/gateway/tunnel/frames.js';
import { Tunnel, type TunnelStream } from '../../worker/gateway/tunnel/tunnel.js';
import { tunnelRequest } from '../../worker/gateway/tunnel-request.js';

const HEAD: OpenHead = { method: 'GET', path: '/api/v1/pods', headers: [], as: { user: 'fleetplane:t:u', groups: ['fleetplane:viewers'] } };

function pair(onOpen: (s: TunnelStream, head: OpenHead) => void) {
  let cp!: Tunnel;
  const connector: Tunnel = new Tunnel({ opener: false, maxStreams: 8, send: (f) => queueMicrotask(() => cp.receive(f)), onOpen });
  cp = new Tunnel({ opener: true, maxStreams: 8, send: (f) => queueMicrotask(() => connector.receive(f)) });
  return cp;
}

describe('one request through a tunnel', () => {
  it('ends a stream on which nothing moves for the idle time, telling the reader why', async () => {
    const cp = pair((s) => {
      s.respond({ status: 200, headers: [] });
      void s.write(new TextEncoder().encode('first'));
      // then nothing: an API server that stopped answering mid-body
    });
    const answer = await tunnelRequest(cp, HEAD, null, undefined, 100);
    const reader = answer.body.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first');
    const started = Date.now();
    await expect(reader.read()).rejects.toThrow('nothing went either way for 0.1 s');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(cp.size).toBe(0);
  });

  it('never hands on a redirect; an answer that does not come is a 502 when the stream is reset', async () => {
    const redirecting = pair((s) => s.respond({ status: 302, headers: [['location', 'http://169.254.169.254/']] }));
    await expect(tunnelRequest(redirecting, HEAD, null)).rejects.toMatchObject({ status: 502, detail: expect.stringContaining('redirect') });
    const refusing = pair((s) => s.reset('the cluster\'s API server could not be reached: ECONNREFUSED'));
    await expect(tunnelRequest(refusing, HEAD, null)).rejects.toMatchObject({ status: 502, detail: expect.stringContaining('ECONNREFUSED') });
  });
});
