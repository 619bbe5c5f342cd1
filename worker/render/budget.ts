import type { EvaluationBudget } from './jsone/index.js';
import type { FieldError } from './types.js';

/** API.md, "Render budget": what one render for one cluster may produce and cost. */
export const MAX_RENDER_OBJECTS = 1_000;
export const MAX_RENDER_BYTES = 2 * 1024 * 1024;
/** the deepest nesting a rendered object may have (the API's JSON depth) */
export const MAX_RENDER_DEPTH = 64;
export const MAX_JSONE_ELEMENTS = 100_000;
export const RENDER_TIME_LIMIT_MS = 2_000;

/**
 * The evaluator's budget. Elements and characters built in all: a 2 MiB
 * render built twice over, some 32 MB of numbers at most, well inside a
 * Worker's 128 MB. Steps:
 * the only time limit that holds in workerd on Cloudflare, whose clock does
 * not move while code runs; the costliest loops seen reach 10 million in about 0.9 s on this
 * project's 2-core reference machine, and every catalog template renders in
 * under 50,000 (`npx tsx bench/render-budget.ts`). Where a clock moves (Node),
 * a render also stops at 2 s.
 */
export const JSONE_BUDGET: EvaluationBudget = {
  maxElements: MAX_JSONE_ELEMENTS,
  maxAllocated: 4_000_000,
  maxSteps: 10_000_000,
  timeLimitMs: RENDER_TIME_LIMIT_MS,
  now: typeof performance === 'undefined' ? undefined : () => performance.now(),
};

/**
 * Every error that says a render went over its budget carries this phrase,
 * wherever it was raised (the evaluator, the output checks, or the Node pool
 * stopping a process): it tells a template that cannot be rendered within
 * the limits from one that merely needs values.
 */
export const RENDER_BUDGET = 'render budget exceeded';

/** `template shop@1.0.0, cluster "eu-1": render budget exceeded: did not finish within 2 s` */
export function budgetError(template: { name: string; version: string }, cluster: string, limit: string): FieldError {
  return { pointer: '/spec/template', message: `template ${template.name}@${template.version}, cluster "${cluster}": ${RENDER_BUDGET}: ${limit}` };
}

/**
 * The JSON size of a rendered object, measured without serializing it (an
 * object may share one array many times over, and would serialize to far
 * more than it holds), up to `room` characters; or which limit it passes.
 * Strings count in UTF-16 code units, near enough to bytes for a limit.
 * Iterative: deep output must not overflow the stack.
 */
export function measureOutput(value: unknown, room: number): { size: number } | { problem: string } {
  let size = 0;
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (typeof v === 'string') size += v.length + 2;
    else if (v === null || typeof v !== 'object') size += String(v).length;
    else {
      if (depth > MAX_RENDER_DEPTH) return { problem: `an object nests deeper than ${MAX_RENDER_DEPTH} levels` };
      const array = Array.isArray(v);
      const entries = array ? v.map((x) => ['', x] as const) : Object.entries(v);
      size += 2 + entries.length;
      for (const [k, x] of entries) {
        size += array ? 0 : k.length + 3;
        stack.push({ v: x, depth: depth + 1 });
      }
    }
    if (size > room) return { problem: `more than ${MAX_RENDER_BYTES} bytes of JSON (2 MiB)` };
  }
  return { size };
}
