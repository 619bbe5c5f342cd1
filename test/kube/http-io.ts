import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest } from './errors.js';

/** Reading request bodies and writing JSON answers. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * JSON bodies; apply bodies may be YAML (JSON is YAML too). Clients mostly send
 * JSON even there, so a body that looks like JSON is read as JSON first: the YAML
 * parser costs several times more. An empty body reads as undefined.
 */
export function parseBody(text: string, yaml: boolean): any {
  if (text.trim() === '') return undefined;
  try {
    if (yaml && text.trimStart().startsWith('{')) {
      try {
        return JSON.parse(text);
      } catch {
        // YAML flow syntax that is not JSON: the YAML parser below decides
      }
    }
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

/** The media type without parameters, lower-cased. */
export const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();
