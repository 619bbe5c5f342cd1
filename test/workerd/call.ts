import { exports } from 'cloudflare:workers';

export type Json = Record<string, any>;
export const origin = 'https://fleetplane.test';

/** One request to the worker under test; the body parsed as JSON when it is JSON. */
export async function call(method: string, path: string, token?: string, body?: unknown) {
  const h: Record<string, string> = {};
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await exports.default.fetch(`${origin}${path}`, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json = {};
  try {
    json = text ? (JSON.parse(text) as Json) : {};
  } catch {
    json = {};
  }
  return { status: res.status, json, text, headers: res.headers };
}
