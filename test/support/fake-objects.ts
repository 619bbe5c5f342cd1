import type { DurableObjectNamespace } from '../../worker/push/workers-types.js';

/** A namespace whose objects answer with `answer`, recording which object each write went to and its JSON body. */
export function recordingObjects(answer: () => Response | Promise<Response>) {
  const asked: { name: unknown; body: unknown }[] = [];
  const ns: DurableObjectNamespace = {
    idFromName: (name) => name,
    get: (name) => ({ fetch: async (_url, init) => (asked.push({ name, body: JSON.parse(String(init?.body)) }), answer()) }),
  };
  return { ns, asked };
}

/** A namespace whose objects cannot be reached; `asked` counts the tries. */
export function unreachableObjects() {
  const tries = { asked: 0 };
  const ns: DurableObjectNamespace = {
    idFromName: (n) => n,
    get: () => ({ fetch: async () => { tries.asked++; throw new Error('object unreachable'); } }),
  };
  return { ns, tries };
}
