import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../context.js';

/** A working day: long enough not to interrupt, short enough that a forgotten session ends by itself. */
export const SESSION_SECONDS = 8 * 3600;
const COOKIE = 'fp_session';

/**
 * The session is the caller's bearer token (an API token or an OIDC ID token),
 * encrypted into an HttpOnly cookie that only the console's paths receive.
 * The server keeps nothing: each page presents the token to the API as any
 * client would, so a revoked or expired token ends the session at its next
 * request, and the token never reaches the page, its URLs or its storage.
 */
export interface Session {
  token: string;
  /** when the session ends: its own limit, or the ID token's expiry if sooner */
  expiresAt: Date;
}

const secure = (c: Context) => new URL(c.req.url).protocol === 'https:';

export async function startSession<E extends AppEnv>(c: Context<E>, token: string, tokenExpiresAt?: Date): Promise<void> {
  const { keys, now } = c.get('deps');
  const limit = new Date(now().getTime() + SESSION_SECONDS * 1000);
  const expiresAt = tokenExpiresAt && tokenExpiresAt < limit ? tokenExpiresAt : limit;
  const sealed = await new EncryptJWT({ tok: token })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(Math.floor(now().getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .encrypt(keys.sessionKey);
  setCookie(c, COOKIE, sealed, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: secure(c),
    path: '/console',
    maxAge: Math.max(1, Math.floor((expiresAt.getTime() - now().getTime()) / 1000)),
  });
}

/** The session in the request's cookie, or undefined when there is none, it was tampered with, or it has ended. */
export async function readSession<E extends AppEnv>(c: Context<E>): Promise<Session | undefined> {
  const sealed = getCookie(c, COOKIE);
  if (!sealed) return undefined;
  try {
    const { payload } = await jwtDecrypt(sealed, c.get('deps').keys.sessionKey, { currentDate: c.get('deps').now() });
    if (typeof payload.tok !== 'string' || typeof payload.exp !== 'number') return undefined;
    return { token: payload.tok, expiresAt: new Date(payload.exp * 1000) };
  } catch {
    return undefined;
  }
}

export function endSession<E extends AppEnv>(c: Context<E>) {
  deleteCookie(c, COOKIE, { path: '/console', secure: secure(c), httpOnly: true, sameSite: 'Strict' });
}
