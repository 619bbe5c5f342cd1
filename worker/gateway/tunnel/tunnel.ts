import { decodeFrame, encodeFrame, FrameType, jsonBytes, parseJsonBytes, readCredit, type OpenHead, type ResponseHead } from './frames.js';
import { StreamReset, TunnelStream } from './stream.js';

export { StreamReset, TunnelStream } from './stream.js';

export interface TunnelOptions {
  /** sends one binary WebSocket message */
  send(frame: Uint8Array<ArrayBuffer>): void;
  /** streams open at once; one more is refused (the connector then holds at most this many windows) */
  maxStreams: number;
  /** the end that opens streams (the control plane) uses odd ids */
  opener: boolean;
  /** the connector's end: a request arrived */
  onOpen?(stream: TunnelStream, head: OpenHead): void;
}

export class TooManyStreams extends Error {}

/**
 * Many requests over one WebSocket (remotedialer's virtual connections):
 * frames tagged with stream ids, each stream with its own credit, so a
 * stalled watch holds its own window and nothing else.
 */
export class Tunnel {
  private readonly streams = new Map<number, TunnelStream>();
  private nextId: number;
  private closedWith: string | undefined;
  private readonly host = {
    send: (frame: Uint8Array<ArrayBuffer>) => {
      if (this.closedWith === undefined) this.o.send(frame);
    },
    forget: (id: number) => this.streams.delete(id),
  };

  constructor(private readonly o: TunnelOptions) {
    this.nextId = o.opener ? 1 : 2;
  }

  get size() {
    return this.streams.size;
  }

  get closed() {
    return this.closedWith !== undefined;
  }

  /** Opens a stream for a request (the control plane's end). */
  open(head: OpenHead): TunnelStream {
    if (this.closedWith !== undefined) throw new StreamReset(this.closedWith);
    if (this.streams.size >= this.o.maxStreams) throw new TooManyStreams(`${this.o.maxStreams} requests are already open to this cluster`);
    const id = this.nextId;
    this.nextId = (this.nextId + 2) >>> 0 || (this.o.opener ? 1 : 2);
    const stream = new TunnelStream(id, this.host);
    this.streams.set(id, stream);
    this.o.send(encodeFrame(FrameType.Open, id, jsonBytes(head)));
    return stream;
  }

  /** One binary message from the socket. Frames of streams already over are dropped. */
  receive(bytes: Uint8Array) {
    const f = decodeFrame(bytes);
    if (!f || this.closedWith !== undefined) return;
    const stream = this.streams.get(f.stream);
    try {
      switch (f.type) {
        case FrameType.Open: return this.accept(f.stream, f.payload);
        case FrameType.Headers: return stream?.receiveHead(parseJsonBytes<ResponseHead>(f.payload));
        case FrameType.Data: return stream?.receiveData(f.payload);
        case FrameType.End: return stream?.receiveEnd();
        case FrameType.Reset: return stream?.receiveReset(parseJsonBytes<{ message?: string }>(f.payload).message ?? 'reset');
        case FrameType.Credit: return stream?.receiveCredit(readCredit(f.payload));
      }
    } catch (err) {
      // a payload that does not parse ends its stream, not the tunnel
      stream?.reset(`bad frame: ${(err as Error).message}`);
    }
  }

  /** The socket is gone: every stream ends with this reason. */
  close(reason: string) {
    if (this.closedWith !== undefined) return;
    this.closedWith = reason;
    for (const s of [...this.streams.values()]) s.receiveReset(reason);
    this.streams.clear();
  }

  private accept(id: number, payload: Uint8Array) {
    if (!this.o.onOpen || this.streams.has(id)) return;
    const refuse = (message: string) => this.o.send(encodeFrame(FrameType.Reset, id, jsonBytes({ message })));
    if (this.streams.size >= this.o.maxStreams) return refuse(`the connector has ${this.o.maxStreams} requests open`);
    let head: OpenHead;
    try {
      head = parseJsonBytes<OpenHead>(payload);
    } catch {
      return refuse('bad open frame');
    }
    const stream = new TunnelStream(id, this.host);
    this.streams.set(id, stream);
    this.o.onOpen(stream, head);
  }
}
