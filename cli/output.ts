import type { Problem } from '../client/index.js';
import { ApiFailure } from './api.js';
import type { DocProblem } from './documents.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Lines on stdout, errors on stderr. On a terminal a transient progress line
 * (spinner and what is being done) sits under the output and is replaced as
 * work moves on; elsewhere (pipes, files, CI) only the plain lines are written.
 */
export class Output {
  private frame = 0;
  private showing = false;
  readonly tty: boolean;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout, private readonly err: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(out.isTTY) && process.env.TERM !== 'dumb';
  }

  progress(text: string) {
    if (!this.tty) return;
    this.frame = (this.frame + 1) % FRAMES.length;
    this.out.write(`\r\x1b[2K${FRAMES[this.frame]} ${text}`);
    this.showing = true;
  }

  private clear() {
    if (this.showing) this.out.write('\r\x1b[2K');
    this.showing = false;
  }

  line(text = '') {
    this.clear();
    this.out.write(`${text}\n`);
  }

  error(text: string) {
    this.clear();
    this.err.write(`${text}\n`);
  }

  done() {
    this.clear();
  }
}

/** Where an object came from: its file, document and, in a `kind: List`, its item. */
export interface Origin { file: string; index: number | undefined; item?: number | undefined }

const where = (o: Origin) =>
  o.index === undefined ? o.file : `${o.file} (document ${o.index}${o.item === undefined ? '' : `, item ${o.item}`})`;

/** `detail`, then each `errors[]` entry with its pointer, as the server gave them. */
export function problemLines(problem: Problem | undefined, fallback: string): string[] {
  const lines = [problem?.detail ?? fallback];
  for (const e of problem?.errors ?? []) lines.push(`  ${e.pointer || '/'}: ${e.message}`);
  return lines;
}

export function reportDocProblem(out: Output, p: DocProblem) {
  out.error(`error: ${where(p)}: ${p.message}`);
  for (const e of p.errors) out.error(`  ${e.pointer || '/'}: ${e.message}`);
}

/** An error while handling one object of a file: the file and document, the object, the server's problem. */
export function reportObjectError(out: Output, origin: Origin, label: string, err: unknown) {
  const [first, ...rest] = errorLines(err, false);
  out.error(`error: ${where(origin)}: ${label}: ${first}`);
  for (const l of rest) out.error(l);
}

/** An error as lines; `context` puts what was being done before the server's words. */
export function errorLines(err: unknown, context = true): string[] {
  if (err instanceof ApiFailure) {
    const [first, ...rest] = problemLines(err.problem, err.message);
    return [context && err.problem?.detail ? `${err.what}: ${first}` : first!, ...rest];
  }
  const cause = (err as { cause?: { message?: string } })?.cause?.message;
  return [`${(err as Error)?.message ?? String(err)}${cause ? ` (${cause})` : ''}`];
}
