import jsone, { BudgetError, withEvaluationBudget } from './jsone/index.js';
import { budgetError, JSONE_BUDGET, MAX_RENDER_BYTES, MAX_RENDER_OBJECTS, measureOutput } from './budget.js';
import { kubeObjectProblem } from './kube-object.js';
import type { FieldError, KubeObject, RenderInput } from './types.js';

export interface RenderedDocument {
  /** position of the document in the template's manifests */
  doc: number;
  object: KubeObject;
}

/**
 * json-e's own errors carry where in the template they happened; say it the
 * way the library prints it. Anything else is json-e tripping over an
 * expression it could not parse (e.g. `${a +}` throws a TypeError inside it).
 */
function templateMessage(e: unknown): string {
  if (e instanceof Error && (e as { location?: unknown }).location !== undefined) return String(e);
  return `an expression could not be evaluated (${e instanceof Error ? e.message : String(e)})`;
}

/** What `now` (and `$fromNow`) see in a template. */
export const RENDER_EPOCH = '1970-01-01T00:00:00.000Z';

/**
 * Renders each manifest document with json-e against the app's context. A
 * document that renders to nothing (a false `$if` at its top) is left out;
 * one that fails or is not a Kubernetes object is an error naming the
 * template, the document and the cluster.
 */
export function renderDocuments(
  docs: unknown[],
  input: RenderInput,
  values: Record<string, unknown>,
): { rendered: RenderedDocument[]; errors: FieldError[] } {
  const { template, app, cluster, tenant } = input;
  const where = (i: number) => `template ${template.name}@${template.version}, document ${i}, cluster "${cluster.name}"`;
  const context = {
    values, app: { name: app.name, namespace: app.namespace }, cluster: { name: cluster.name, labels: { ...cluster.labels } }, tenant,
    // json-e would otherwise read the clock: a render must depend on its inputs alone, or every render is new content
    now: RENDER_EPOCH,
  };
  const rendered: RenderedDocument[] = [];
  const errors: FieldError[] = [];
  let bytes = 0;
  // one budget for every document of the render: the limit is per cluster, not per document
  try {
    withEvaluationBudget(JSONE_BUDGET, () => docs.forEach((doc, i) => renderOne(doc, i)));
  } catch (e) {
    if (!(e instanceof BudgetError)) throw e;
    return { rendered: [], errors: [budgetError(template, cluster.name, e.message)] };
  }
  return { rendered, errors };

  function renderOne(doc: unknown, i: number) {
    let out: unknown;
    try {
      out = jsone(doc as Record<string, unknown>, context);
    } catch (e) {
      // the budget is spent, or V8's stack or length limits were hit (reported as the budget's): nothing after it could render
      if (e instanceof BudgetError || e instanceof RangeError) throw e;
      errors.push({ pointer: '/spec/template', message: `${where(i)}: ${templateMessage(e)}` });
      return;
    }
    if (out === null || out === undefined) return;
    // measured before anything copies or serializes it; the budget counts the whole render
    const measured = measureOutput(out, MAX_RENDER_BYTES - bytes);
    if ('problem' in measured) throw new BudgetError('output', measured.problem);
    bytes += measured.size;
    if (rendered.length >= MAX_RENDER_OBJECTS) throw new BudgetError('output', `more than ${MAX_RENDER_OBJECTS} objects`);
    const problem = kubeObjectProblem(out);
    if (problem) errors.push({ pointer: '/spec/template', message: `${where(i)}: the result ${problem}` });
    // json-e may hand back parts of the context itself; later steps edit objects in place
    else rendered.push({ doc: i, object: structuredClone(out) as KubeObject });
  }
}
