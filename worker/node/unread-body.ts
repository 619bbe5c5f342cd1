import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';

/** How long a closing connection keeps swallowing the rest of an unread upload. */
const LINGER_MS = 2000;

/**
 * An answer sent before the request body has fully arrived (a 413 judged by
 * Content-Length, a 401 on an upload) says `Connection: close` and closes the
 * connection: the client cannot reuse a connection whose request it has not
 * finished sending, and left open it would be read as the start of the next request.
 *
 * The close lingers (RFC 9112 §9.6): the server ends its side, then reads and
 * discards what is still arriving until the client closes too (or LINGER_MS
 * passes). Closing at once with unread bytes would send a TCP reset, which can
 * destroy the answer before the client reads it.
 */
export function closeUnreadBodies(listener: RequestListener): RequestListener {
  return (req, res) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (!req.complete) {
        this.shouldKeepAlive = false; // Node writes `Connection: close` and ends the socket after the answer
        linger(req);
      }
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
    return listener(req, res);
  };
}

function linger(req: IncomingMessage) {
  req.on('data', () => {});
  req.resume();
  const socket = req.socket as Socket & { destroySoon?: () => void };
  // Node calls destroySoon() once the answer is written when the connection is not kept alive.
  socket.destroySoon = function (this: Socket) {
    this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    this.once('end', () => this.destroy());
    this.on('data', () => {});
    this.resume();
  };
}

/**
 * Idle keep-alive connections stay open longer than a connector's heartbeat
 * interval (10 s): with Node's default of 5 s every heartbeat opened a new
 * connection, and a heartbeat sent as the server closed its idle one failed
 * ("socket hang up"). Behind a load balancer, its idle timeout should be longer still.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function closing<S extends Server>(server: S): S {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000; // above keepAliveTimeout, as Node requires for reused connections
  return server;
}

/** `http.createServer` whose requests get the rule above; for `serve({ createServer })`. */
export const createClosingServer = ((options: object, listener: RequestListener) =>
  closing(createServer(options, closeUnreadBodies(listener)))) as typeof createServer;

/** The same over TLS (`options` carries the certificate and key). */
export const createClosingHttpsServer = ((options: object, listener: RequestListener) =>
  closing(createHttpsServer(options, closeUnreadBodies(listener)))) as typeof createHttpsServer;
