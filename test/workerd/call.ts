import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { App } from '../../worker/app.js';

export type Json = Record<string, any>;
export const origin = 'https://fleetplane.test';

function requestOf(method: string, path: string, token?: string, body?: unknown) {
  const h: Record<string, string> = {};
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  return new Request(`${origin}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function answerOf(res: Response) {
  const text = await res.text();
  let json: Json = {};
  try {
    json = text ? (JSON.parse(text) as Json) : {};
  } catch {
    json = {};
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** One request to the worker under test; the body parsed as JSON when it is JSON. */
export async function call(method: string, path: string, token?: string, body?: unknown) {
  return answerOf(await exports.default.fetch(requestOf(method, path, token, body)));
}

/**
 * One request to an app built apart (buildWorkerApp: another isolate, or other
 * bindings), answered once the work it left running (waitUntil) is done.
 */
export async function callApp(app: App, method: string, path: string, token?: string, body?: unknown) {
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException() {}, props: {} };
  const answer = await answerOf(await app.fetch(requestOf(method, path, token, body), env, ctx as never));
  await Promise.all(pending);
  return answer;
}

/** A cluster of `tenant` labelled `labels`, registered by a connector with `facts`: its path, uid and connector credential. */
export async function joinCluster(tenant: string, name: string, labels: Record<string, string> = {}, facts = { kubernetesVersion: 'v1.31.0', nodeCount: 1 }) {
  const adminToken = String(env.FLEETPLANE_ADMIN_TOKEN);
  const path = `/v1/tenants/${tenant}/clusters/${name}`;
  expect((await call('PUT', path, adminToken, { metadata: { labels }, spec: {} })).status).toBe(201);
  const jt = await call('POST', `${path}/join-tokens`, adminToken, {});
  expect(jt.status, jt.text).toBe(201);
  const reg = await call('POST', '/v1/connector/register', undefined, { joinToken: jt.json.token, cluster: { ...facts, connectorVersion: '0.1.0' } });
  expect(reg.status, reg.text).toBe(200);
  return { path, uid: String(reg.json.cluster.uid), credential: String(reg.json.credential) };
}
