// The evaluation budget of one render (not in upstream json-e). A render is
// synchronous from start to end, so the budget of the render under way can
// live in this module while it runs: nothing else runs in between.

export class BudgetError extends Error {
  constructor(limit, message) {
    super(message);
    this.name = 'BudgetError';
    /** which limit: 'elements' | 'allocation' | 'steps' | 'time' | 'depth' */
    this.limit = limit;
  }
}

let current = null;

/** Runs fn with the budget; errors from V8's own limits are reported as the budget's. */
export function withBudget(budget, fn) {
  const outer = current;
  current = { ...budget, steps: 0, allocated: 0, clockAt: 0 };
  try {
    return fn();
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      throw new BudgetError('depth', 'json-e nested values or templates too deeply (the evaluator ran out of stack)');
    }
    if (err instanceof RangeError && /Invalid (string|array) length/.test(err.message)) {
      throw new BudgetError('elements', `json-e built a string or array past ${current.maxElements} elements`);
    }
    throw err;
  } finally {
    current = outer;
  }
}

/** One unit of work (a node evaluated, an element visited); the clock is read every 4,096 units where it moves. */
export function step(n = 1) {
  const b = current;
  if (b === null) return;
  b.steps += n;
  if (b.steps > b.maxSteps) throw new BudgetError('steps', `json-e took more than ${b.maxSteps} evaluation steps`);
  if (b.deadline !== undefined && b.steps >= b.clockAt) {
    b.clockAt = b.steps + 4096;
    if (b.now() > b.deadline) throw new BudgetError("time", `json-e ran longer than ${b.timeLimitMs} ms`);
  }
}

/** Before building a string or array of n elements: refuses it past the element limit, counts it against the allocation budget. */
export function size(n) {
  const b = current;
  if (b === null) return;
  if (!(n <= b.maxElements)) throw new BudgetError('elements', `json-e would build a string or array of ${n} elements; at most ${b.maxElements} are allowed`);
  b.allocated += n;
  if (b.allocated > b.maxAllocated) throw new BudgetError('allocation', `json-e built more than ${b.maxAllocated} elements and characters in all`);
  // copying an element costs far less than evaluating a node: a sixteenth of a step
  step(n >>> 4);
}

/** The current element limit (for early exits while measuring), or Infinity outside a budget. */
export const elementLimit = () => (current === null ? Infinity : current.maxElements);
