/** Types of the vendored json-e fork (see README.md beside this file). */
export interface EvaluationBudget {
  /** the longest string or array json-e may build */
  maxElements: number;
  /** elements and characters json-e may build in all, in one render */
  maxAllocated: number;
  /** evaluation steps in one render: the time limit that holds where clocks do not move (workerd) */
  maxSteps: number;
  /** where a clock moves, the time one render may take */
  timeLimitMs?: number;
  now?: () => number;
}

export type BudgetLimit = 'elements' | 'allocation' | 'steps' | 'time' | 'depth' | 'output';

export class BudgetError extends Error {
  constructor(limit: BudgetLimit, message: string);
  readonly limit: BudgetLimit;
}

export class JSONTemplateError extends Error {
  location: string[];
}

export function withEvaluationBudget<T>(budget: EvaluationBudget, fn: () => T): T;

declare function jsone(template: unknown, context?: Record<string, unknown>): unknown;
export default jsone;
