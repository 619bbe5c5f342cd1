import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameType, STREAM_WINDOW, type OpenHead } from '../../worker/gateway/tunnel/frames.js';
import { StreamReset, TooManyStreams, Tunnel, type TunnelStream } from '../../worker/gateway/tunnel/tunnel.js';

const HEAD: OpenHead = { method: 'GET', path: '/api/v1/pods', headers: [], as: { user: 'u', groups: ['g'] } };

/** Two ends joined as a socket joins them: messages delivered in order, asynchronously. */
function pair(onOpen: (s: TunnelStream, head: OpenHead) => void, maxStreams = { cp: 8, connector: 8 }) {
  let cp!: Tunnel;
  let connector!: Tunnel;
  const sent = { cp: 0, connector: 0 };
  const deliver = (to: () => Tunnel, side: 'cp' | 'connector') => (frame: Uint8Array) => {
    sent[side] += frame.byteLength;
    const copy = frame.slice();
    queueMicrotask(() => to().receive(copy));
  };
  cp = new Tunnel({ opener: true, maxStreams: maxStreams.cp, send: deliver(() => connector, 'cp') });
  connector = new Tunnel({ opener: false, maxStreams: maxStreams.connector, send: deliver(() => cp, 'connector'), onOpen });
  return { cp, connector, sent };
}

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * seed) & 0xff);
async function readAll(r: ReadableStream<Uint8Array>) {
  const parts: Uint8Array[] = [];
  for await (const p of r as unknown as AsyncIterable<Uint8Array>) parts.push(p);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.byteLength));
  return out;
}
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe('the gateway tunnel', () => {
  it('carries a request body and an answer both ways, each many windows long, intact', async () => {
    const upload = bytes(5 * STREAM_WINDOW + 123, 7);
    const answer = bytes(9 * STREAM_WINDOW + 5, 3);
    const { cp } = pair(async (s, head) => {
      const got = await readAll(s.readable);
      s.respond({ status: 200, headers: [['x-got', String(got.byteLength)], ['x-path', head.path]] });
      await s.write(answer);
      s.end();
    });
    const s = cp.open({ ...HEAD, method: 'PUT' });
    void s.write(upload).then(() => s.end());
    const head = await s.head;
    expect(head).toEqual({ status: 200, headers: [['x-got', String(upload.byteLength)], ['x-path', '/api/v1/pods']] });
    expect(await readAll(s.readable)).toEqual(answer);
    await tick();
    expect(cp.size).toBe(0);
  });

  it('a stream nobody reads holds one window of the sender, and the others go on', async () => {
    let stalledWrote = 0;
    const { cp } = pair(async (s, head) => {
      s.respond({ status: 200, headers: [] });
      if (head.path === '/stalled') {
        for (;;) {
          await s.write(bytes(1024)).catch(() => {});
          if (s.closed) return;
          stalledWrote += 1024;
        }
      }
      await s.write(bytes(3 * STREAM_WINDOW));
      s.end();
    });
    const stalled = cp.open({ ...HEAD, path: '/stalled' });
    await stalled.head;
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      const s = cp.open({ ...HEAD, path: `/busy/${i}` });
      s.end();
      expect((await readAll(s.readable)).byteLength).toBe(3 * STREAM_WINDOW);
    }
    expect(Date.now() - started).toBeLessThan(2000);
    // the stalled watch's sender stopped at its window: nothing more was sent than the reader can be made to hold
    expect(stalledWrote).toBeLessThanOrEqual(STREAM_WINDOW);
    expect(stalledWrote).toBeGreaterThan(0);
    stalled.reset('test over');
  });

  it('a reader that goes away resets the stream: the other end’s write fails, the stream is forgotten on both ends', async () => {
    let failure: unknown;
    const { cp, connector } = pair(async (s) => {
      s.respond({ status: 200, headers: [] });
      try {
        for (;;) await s.write(bytes(4096));
      } catch (err) {
        failure = err;
      }
    });
    const s = cp.open(HEAD);
    await s.head;
    const reader = s.readable.getReader();
    await reader.read();
    await reader.cancel('client gone');
    await tick();
    expect(failure).toBeInstanceOf(StreamReset);
    expect((failure as Error).message).toMatch(/the reader went away: client gone/);
    expect(cp.size).toBe(0);
    expect(connector.size).toBe(0);
  });

  it('caps the streams on each end; a closed tunnel fails every stream with its reason', async () => {
    const { cp } = pair(() => {}, { cp: 2, connector: 8 });
    cp.open(HEAD);
    const second = cp.open(HEAD);
    expect(() => cp.open(HEAD)).toThrow(TooManyStreams);
    cp.close('the connector went away');
    await expect(second.head).rejects.toThrow('the connector went away');
    await expect(readAll(second.readable)).rejects.toThrow('the connector went away');
    expect(() => cp.open(HEAD)).toThrow('the connector went away');

    const tight = pair(() => {}, { cp: 8, connector: 1 });
    tight.cp.open(HEAD);
    const refused = tight.cp.open(HEAD);
    await expect(refused.head).rejects.toThrow('the connector has 1 requests open');
  });

  it('a sender that ignores its credit gets its stream reset; a frame that does not parse ends its stream only', async () => {
    const opened: TunnelStream[] = [];
    const { cp, connector } = pair((s) => opened.push(s));
    const s = cp.open(HEAD);
    await tick();
    // the connector's end sends past the window without waiting for credit
    connector.receive(encodeFrame(FrameType.Open, 99, new TextEncoder().encode('{not json')));
    for (let i = 0; i < 5; i++) cp.receive(encodeFrame(FrameType.Data, s.id, bytes(STREAM_WINDOW / 4 + 1)));
    await expect(readAll(s.readable)).rejects.toThrow('flow control');
    expect(opened).toHaveLength(1); // the bad Open was refused, not accepted
    const other = cp.open(HEAD);
    await tick();
    expect(opened).toHaveLength(2);
    expect(other.closed).toBe(false);
  });
});
