import { RENDER_BUDGET, type FieldError } from '../render/index.js';

export { budgetError, RENDER_BUDGET } from '../render/index.js';

/** Whether a render error says the template went over its budget (not merely that values were missing or wrong). */
export const isBudgetError = (e: FieldError) => e.pointer === '/spec/template' && e.message.includes(RENDER_BUDGET);
