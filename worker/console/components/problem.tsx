/** An API problem (RFC 9457) as the console shows it. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  errors?: { pointer: string; message: string; in?: string }[];
}

/** The problem's summary as an alert; its field errors are shown beside their fields by the form. */
export const ProblemAlert = ({ problem }: { problem: Problem | undefined }) =>
  problem ? (
    <article role="alert" class="problem">
      <strong>{problem.status === 403 ? 'Not allowed: ' : ''}{problem.detail ?? problem.title ?? `The request failed (${problem.status}).`}</strong>
      {problem.errors && problem.errors.length > 0 && (
        <ul>{problem.errors.map((e) => <li>{e.pointer ? <code>{e.pointer}</code> : null} {e.message}</li>)}</ul>
      )}
    </article>
  ) : null;

/** The messages of the problem's errors at one JSON pointer (or under it). */
export const errorsAt = (problem: Problem | undefined, pointer: string) =>
  (problem?.errors ?? []).filter((e) => e.pointer === pointer || e.pointer.startsWith(`${pointer}/`)).map((e) => e.message);

/** A name travels in the URL: the API's errors about the path belong to the form's field for it. */
export const pathErrorsAt = (p: Problem, pointer: string): Problem =>
  ({ ...p, errors: p.errors?.map((e) => (e.in === 'path' ? { ...e, pointer } : e)) });

/**
 * A create's answer as a form shows it: If-None-Match: * made an existing name
 * a 412, which the person reads as "this name is taken" (409) beside the field.
 */
export function createRefused(answer: { status: number; body: unknown }, what: string, pointer = '/name'): { problem: Problem; status: number } {
  if (answer.status !== 412) return { problem: pathErrorsAt(answer.body as Problem, pointer), status: answer.status };
  return { problem: { status: 409, detail: `${what} of that name already exists.`, errors: [{ pointer, message: 'This name is taken.' }] }, status: 409 };
}
