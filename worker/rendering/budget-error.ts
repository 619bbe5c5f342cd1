import type { FieldError } from '../render/index.js';

/**
 * Every error that says a render went over its budget (time, memory, output
 * size, json-e array or string length) carries this phrase, wherever it was
 * raised: in the renderer or by the Node pool stopping a thread. It tells a
 * template that cannot be rendered within the limits from one that merely
 * needs values.
 */
export const RENDER_BUDGET = 'render budget exceeded';

export const isBudgetError = (e: FieldError) =>
  e.pointer === '/spec/template' && (e.message.includes(RENDER_BUDGET) || V8_LENGTH_LIMIT.test(e.message));

/** json-e reports a string or array V8 cannot hold as an expression it could not evaluate: a limit all the same. */
const V8_LENGTH_LIMIT = /\(Invalid (string|array|typed array) length\)/;

/** `template shop@1.0.0, cluster "eu-1": render budget exceeded: did not finish within 2 s` */
export function budgetError(template: { name: string; version: string }, cluster: string, limit: string): FieldError {
  return { pointer: '/spec/template', message: `template ${template.name}@${template.version}, cluster "${cluster}": ${RENDER_BUDGET}: ${limit}` };
}
