import { creditBytes, encodeFrame, FrameType, jsonBytes, MAX_DATA, STREAM_WINDOW, type ResponseHead } from './frames.js';

/** What a stream needs of its tunnel. */
export interface StreamHost {
  send(frame: Uint8Array<ArrayBuffer>): void;
  forget(id: number): void;
}

/** The stream ended abnormally: reset by either side, or its tunnel went away. */
export class StreamReset extends Error {}

/**
 * One request through the tunnel, as either end sees it: the body coming in
 * (`readable`, credit granted back as it is read, so a slow reader holds the
 * sender to one window and never stalls another stream) and the body going
 * out (`write` waits for credit).
 */
export class TunnelStream {
  readonly readable: ReadableStream<Uint8Array>;
  /** the answer's status and headers (the control plane's end) */
  readonly head: Promise<ResponseHead>;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private remoteEnded = false;
  private localEnded = false;
  private failure: StreamReset | undefined;
  private wake: (() => void) | undefined;
  private window = STREAM_WINDOW;
  private creditWaiters: (() => void)[] = [];
  private unacked = 0;
  private settleHead!: { resolve(h: ResponseHead): void; reject(e: Error): void };
  private done = false;
  /** when a byte or a head last went either way (ms since the epoch): what an idle timeout reads */
  lastActive = Date.now();
  /** called once when the stream is over, with the reason when it was reset */
  onDone: ((reason: StreamReset | undefined) => void) | undefined;

  constructor(readonly id: number, private readonly host: StreamHost) {
    this.head = new Promise((resolve, reject) => (this.settleHead = { resolve, reject }));
    this.head.catch(() => {}); // an end that never asks for the head must not raise an unhandled rejection
    this.readable = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        while (this.queue.length === 0 && !this.remoteEnded && !this.failure) await new Promise<void>((r) => (this.wake = r));
        const chunk = this.queue.shift();
        if (chunk) {
          this.queued -= chunk.byteLength;
          controller.enqueue(chunk);
          this.consumed(chunk.byteLength);
        } else if (this.failure) controller.error(this.failure);
        else {
          controller.close();
          this.finishIfDone();
        }
      },
      cancel: (reason) => this.reset(`the reader went away${reason ? `: ${String(reason)}` : ''}`),
    }, { highWaterMark: 0 });
  }

  get closed() {
    return this.done;
  }

  // ---- from the other end ----

  receiveHead(head: ResponseHead) {
    this.lastActive = Date.now();
    this.settleHead.resolve(head);
  }

  receiveData(payload: Uint8Array) {
    if (this.done || this.remoteEnded) return;
    if (this.queued + payload.byteLength > STREAM_WINDOW) return this.reset('flow control: more than the window was sent');
    this.lastActive = Date.now();
    this.queue.push(payload.slice()); // the frame's buffer belongs to the socket
    this.queued += payload.byteLength;
    this.wakeReader();
  }

  receiveEnd() {
    this.remoteEnded = true;
    this.wakeReader();
    this.settleHead.reject(new StreamReset('the stream ended before its answer'));
    this.finishIfDone();
  }

  receiveReset(message: string) {
    this.fail(new StreamReset(message));
  }

  receiveCredit(n: number) {
    this.window += n;
    for (const w of this.creditWaiters.splice(0)) w();
  }

  // ---- from this end ----

  /** Sends the answer's status and headers (the connector's end). */
  respond(head: ResponseHead) {
    if (!this.done) this.host.send(encodeFrame(FrameType.Headers, this.id, jsonBytes(head)));
  }

  /** Sends body bytes, waiting for credit; throws once the stream is reset. */
  async write(chunk: Uint8Array) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      while (this.window <= 0 && !this.failure) await new Promise<void>((r) => this.creditWaiters.push(r));
      if (this.failure) throw this.failure;
      if (this.localEnded) throw new StreamReset('write after end');
      const n = Math.min(MAX_DATA, this.window, chunk.byteLength - offset);
      this.host.send(encodeFrame(FrameType.Data, this.id, chunk.subarray(offset, offset + n)));
      this.lastActive = Date.now();
      this.window -= n;
      offset += n;
    }
  }

  end() {
    if (this.localEnded || this.done) return;
    this.localEnded = true;
    this.host.send(encodeFrame(FrameType.End, this.id));
    this.finishIfDone();
  }

  /** Ends the stream both ways at once, telling the other end why. */
  reset(message: string) {
    if (this.done) return;
    this.host.send(encodeFrame(FrameType.Reset, this.id, jsonBytes({ message })));
    this.fail(new StreamReset(message));
  }

  private fail(reason: StreamReset) {
    if (this.done) return;
    this.failure = reason;
    this.settleHead.reject(reason);
    this.wakeReader();
    for (const w of this.creditWaiters.splice(0)) w();
    this.finish(reason);
  }

  private consumed(n: number) {
    this.unacked += n;
    // granted in halves of the window: one Credit frame per 32 KiB read, not one per chunk
    if (this.unacked >= STREAM_WINDOW / 2 && !this.done && !this.remoteEnded) {
      this.host.send(encodeFrame(FrameType.Credit, this.id, creditBytes(this.unacked)));
      this.unacked = 0;
    }
  }

  private wakeReader() {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private finishIfDone() {
    if (this.localEnded && this.remoteEnded && this.queue.length === 0) this.finish(undefined);
  }

  private finish(reason: StreamReset | undefined) {
    if (this.done) return;
    this.done = true;
    this.host.forget(this.id);
    this.onDone?.(reason);
  }
}
