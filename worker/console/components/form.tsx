import type { Context } from 'hono';
import { errorsAt, type Problem } from './problem.js';

/** A submitted form's text fields (files and repeated names are not used by the console's forms). */
export async function formOf(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The errors of one field, read by assistive technology with the field (aria-describedby). */
export function FieldErrors({ id, messages }: { id: string; messages: string[] }) {
  return messages.length > 0 ? <small id={id} class="field-error">{messages.join(' ')}</small> : null;
}

interface FieldProps {
  id: string;
  label: string;
  name: string;
  value?: string | undefined;
  /** the API's problem, whose errors at `pointer` are shown beside the field */
  problem?: Problem | undefined;
  pointer?: string;
  /** errors found here before the API was asked */
  messages?: string[];
  hint?: string;
  type?: string;
  required?: boolean;
  placeholder?: string;
}

/** A labelled text input with its hint and its errors. */
export function Field(p: FieldProps) {
  const messages = [...(p.messages ?? []), ...(p.pointer ? errorsAt(p.problem, p.pointer) : [])];
  const described = [p.hint ? `${p.id}-hint` : '', messages.length ? `${p.id}-error` : ''].filter(Boolean).join(' ');
  return (
    <>
      <label for={p.id}>{p.label}</label>
      <input id={p.id} name={p.name} type={p.type ?? 'text'} value={p.value ?? ''} required={p.required} placeholder={p.placeholder}
        aria-invalid={messages.length ? 'true' : undefined} aria-describedby={described || undefined} />
      {p.hint && <small id={`${p.id}-hint`}>{p.hint}</small>}
      <FieldErrors id={`${p.id}-error`} messages={messages} />
    </>
  );
}

/** `key=value, key2=value2` → labels; the entries that are not `key=value` are named. */
export function parseLabels(text: string): { labels: Record<string, string>; bad: string[] } {
  const labels: Record<string, string> = {};
  const bad: string[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) bad.push(part);
    else labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { labels, bad };
}
