/** The slice of the Workers runtime types the Durable Objects use (no global workers-types, so Node typechecks too). */
export interface DurableObjectState {
  acceptWebSocket(ws: WebSocket, tags?: string[]): void;
  getWebSockets(tag?: string): WebSocket[];
  setWebSocketAutoResponse?(pair?: WebSocketRequestResponsePair): void;
  storage: DurableObjectStorage;
}

export interface DurableObjectStorage {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  deleteAll(): Promise<void>;
  /** when the object's `alarm()` runs (ms since the epoch); one alarm per object, a new one replaces it */
  setAlarm(scheduledTime: number): Promise<void>;
}

export interface DurableObjectStub {
  fetch(input: string | Request, init?: RequestInit): Promise<Response>;
}

export interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStub;
}

export interface HibernatableSocket extends WebSocket {
  serializeAttachment(value: unknown): void;
  deserializeAttachment(): unknown;
}

/** A message a hibernatable WebSocket answers without waking its Durable Object. */
export interface WebSocketRequestResponsePair {
  readonly request: string;
  readonly response: string;
}

declare global {
  // Workers-only globals; undefined on Node.
  // eslint-disable-next-line no-var
  var WebSocketPair: { new (): { 0: WebSocket; 1: WebSocket } } | undefined;
  // eslint-disable-next-line no-var
  var WebSocketRequestResponsePair: { new (request: string, response: string): WebSocketRequestResponsePair } | undefined;
}
