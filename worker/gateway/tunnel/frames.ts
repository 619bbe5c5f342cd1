/**
 * The gateway's frames over the connector's WebSocket (binary messages; the
 * watch's `{ revision }` messages stay text). One frame: a type byte, a
 * 32-bit stream id (big-endian), then the payload. Plain bytes, so the same
 * code runs on Node, in workerd and in the connector.
 */
export const FrameType = {
  /** control plane → connector: a request's method, path, headers and the caller it is sent as (JSON) */
  Open: 1,
  /** connector → control plane: the answer's status and headers (JSON) */
  Headers: 2,
  /** body bytes, either way, within the credit the receiver granted */
  Data: 3,
  /** no more body this way */
  End: 4,
  /** the stream is over, with why (JSON `{ message }`): a cancel, a timeout, an error */
  Reset: 5,
  /** the receiver has taken this many bytes (32-bit): the sender may send as many more */
  Credit: 6,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export interface Frame {
  type: FrameType;
  stream: number;
  payload: Uint8Array;
}

/** Bytes a stream may have in flight before its receiver grants more: what one stream can make the other side hold. */
export const STREAM_WINDOW = 64 * 1024;
/** The largest DATA payload: big frames would hold the socket from the other streams. */
export const MAX_DATA = 16 * 1024;
const HEADER = 5;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

export function encodeFrame(type: FrameType, stream: number, payload: Uint8Array = EMPTY): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(HEADER + payload.byteLength);
  out[0] = type;
  new DataView(out.buffer).setUint32(1, stream >>> 0);
  out.set(payload, HEADER);
  return out;
}

/** A frame, or undefined for bytes that are not one (too short, an unknown type). */
export function decodeFrame(bytes: Uint8Array): Frame | undefined {
  if (bytes.byteLength < HEADER) return undefined;
  const type = bytes[0] as FrameType;
  if (type < FrameType.Open || type > FrameType.Credit) return undefined;
  const stream = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
  return { type, stream, payload: bytes.subarray(HEADER) };
}

export const jsonBytes = (value: unknown) => encoder.encode(JSON.stringify(value));
export const parseJsonBytes = <T>(bytes: Uint8Array): T => JSON.parse(decoder.decode(bytes)) as T;

export function creditBytes(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0);
  return out;
}
export const readCredit = (bytes: Uint8Array) =>
  bytes.byteLength === 4 ? new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) : 0;

/** What an Open frame carries. */
export interface OpenHead {
  method: string;
  /** path and query under the cluster's API server root, e.g. `/api/v1/namespaces/a/pods?watch=1` */
  path: string;
  headers: [string, string][];
  /** who the request runs as in the cluster */
  as: { user: string; groups: string[] };
}

/** What a Headers frame carries. */
export interface ResponseHead {
  status: number;
  headers: [string, string][];
}
