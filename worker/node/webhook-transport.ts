import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { ANSWER_KEEP_BYTES, NoAnswer, type Transport } from '../webhooks/transport.js';

/**
 * Connects to `address` whatever the name: the address the SSRF check passed,
 * so a second resolution (DNS rebinding) cannot send the request elsewhere.
 */
const pinnedLookup = (address: string): LookupFunction => (_host, opts, cb) => {
  const family = address.includes(':') ? 6 : 4;
  if ((opts as { all?: boolean }).all) (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
  else cb(null, address, family);
};

/**
 * Node's transport: node:http(s) to the checked address, while the Host
 * header, TLS SNI and certificate check use the URL's name. No connection
 * reuse (each attempt may be pinned elsewhere); redirects are never followed
 * (node:http does not); only the first ANSWER_KEEP_BYTES of an answer are read.
 */
export const pinnedTransport: Transport = (o) =>
  new Promise((resolve, reject) => {
    const lib = o.url.protocol === 'https:' ? https : http;
    const req = lib.request(o.url, {
      method: 'POST',
      headers: { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) },
      agent: false,
      ...(o.address ? { lookup: pinnedLookup(o.address) } : {}),
    });
    let timedOut: NoAnswer | undefined;
    const timer = setTimeout(() => req.destroy((timedOut = new NoAnswer(`no answer within ${o.timeoutMs / 1000} s`))), o.timeoutMs);
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    const fail = (err: Error) => finish(() => reject(timedOut ?? err));
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        res.removeAllListeners('data');
        res.destroy();
        finish(() => resolve({ status: res.statusCode ?? 0, excerpt: Buffer.concat(chunks).subarray(0, ANSWER_KEEP_BYTES).toString('utf8') }));
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= ANSWER_KEEP_BYTES) done();
      });
      res.on('end', done);
      res.on('error', fail);
    });
    req.end(o.body);
  });
