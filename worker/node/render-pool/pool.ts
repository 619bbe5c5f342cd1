import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Rendered } from '../../render/index.js';
import { budgetError, RENDER_BUDGET } from '../../rendering/budget-error.js';
import type { RenderBatch, Renderer } from '../../rendering/renderer.js';
import { ApiError } from '../../lib/problem.js';
import { childScript } from './child-source.js';
import { cpuMs } from './cpu-time.js';
import { setRef, startRenderProcess } from './render-process.js';
import type { FromChild, ToChild } from './protocol.js';

export interface RenderPoolOptions {
  /** render processes; default: the cores there are, 2 to 4 */
  size?: number;
  /** batches waiting for a process before new ones are refused with a 503 */
  maxQueued?: number;
  /** per render, enforced by killing its process */
  deadlineMs?: number;
  /** each process's old-generation heap */
  heapMb?: number;
  /** targets per message to a process */
  chunk?: number;
}

interface Job {
  batch: RenderBatch;
  results: Rendered[];
  resolve(r: Rendered[]): void;
}

interface Slot {
  child: ChildProcess | undefined;
  job: Job | undefined;
  /** targets sent so far of the job */
  sent: number;
  /** when the render in progress started (the last result or the batch's start) */
  since: number;
  /** results seen at the watchdog's last look, and the process's CPU time when that count last moved */
  seen: number;
  cpuBase: number | undefined;
}

const WATCH_MS = 50;
const WALL_FACTOR = 3;

/**
 * Renders on a bounded pool of child processes, so a template that loops or
 * grows memory costs one process, not the event loop that serves every
 * tenant and heartbeat. Each process has a bounded heap (one that runs out
 * dies alone: a worker thread's heap limit does not hold for every kind of
 * allocation, and one that misses it aborts the whole server) and each render
 * a deadline (a process still on one render past it is killed and replaced).
 * Either is a 400 naming template, cluster and limit.
 */
export class RenderPool implements Renderer {
  readonly size: number;
  readonly deadlineMs: number;
  readonly heapMb: number;
  private readonly maxQueued: number;
  private readonly chunk: number;
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  constructor(o: RenderPoolOptions = {}) {
    this.size = o.size ?? Math.min(4, Math.max(2, availableParallelism()));
    this.maxQueued = o.maxQueued ?? 64;
    this.deadlineMs = o.deadlineMs ?? 2000;
    this.heapMb = o.heapMb ?? 256;
    this.chunk = o.chunk ?? 64;
    this.slots = Array.from({ length: this.size }, () => ({ child: undefined, job: undefined, sent: 0, since: 0, seen: -1, cpuBase: undefined }));
  }

  renderApp(batch: RenderBatch): Promise<Rendered[]> {
    if (this.closed) return Promise.reject(new ApiError(503, 'shutting_down', 'the server is shutting down', undefined, { 'Retry-After': '1' }));
    if (batch.targets.length === 0) return Promise.resolve([]);
    // a large fan-out is shared among the processes, each sent the template once
    const parts = Math.max(1, Math.min(this.size, Math.floor(batch.targets.length / this.chunk)));
    if (this.queue.length + parts > this.maxQueued) {
      return Promise.reject(new ApiError(503, 'busy', 'every render process is busy and the queue is full; retry shortly', undefined, { 'Retry-After': '1' }));
    }
    const each = Math.ceil(batch.targets.length / parts);
    const jobs = Array.from({ length: parts }, (_, k) => new Promise<Rendered[]>((resolve) => {
      this.queue.push({ batch: { shared: batch.shared, targets: batch.targets.slice(k * each, (k + 1) * each) }, results: [], resolve });
    }));
    this.pump();
    return Promise.all(jobs).then((rs) => rs.flat());
  }

  /** Builds the render script ahead of the first render, which would otherwise wait for it. */
  async prepare() {
    await childScript();
  }

  /** Stops every render process; batches not yet finished fail. */
  async close() {
    this.closed = true;
    clearInterval(this.watchdog);
    for (const job of this.queue.splice(0)) job.resolve(job.batch.targets.map(() => shuttingDown));
    for (const s of this.slots) {
      const child = s.child;
      s.child = undefined;
      if (s.job) this.finish(s, s.job.batch.targets.map((_, k) => s.job!.results[k] ?? shuttingDown));
      child?.kill('SIGKILL');
    }
  }

  /** Renders in progress or waiting, for tests and metrics. */
  get pending() {
    return this.queue.length + this.slots.filter((s) => s.job).length;
  }

  private pump() {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      slot.job = this.queue.shift()!;
      void this.start(slot, slot.job);
    }
    if (!this.watchdog && this.slots.some((s) => s.job)) {
      this.watchdog = setInterval(() => this.watch(), WATCH_MS);
      this.watchdog.unref();
    }
  }

  private async start(slot: Slot, job: Job) {
    try {
      slot.child ??= await this.spawn(slot);
    } catch (err) {
      return this.finish(slot, job.batch.targets.map(() => ({ ok: false, errors: [{ pointer: '/spec/template', message: `cannot be rendered: ${String(err)}` }] })));
    }
    if (slot.job !== job || !slot.child) return;
    setRef(slot.child, true);
    slot.since = performance.now();
    slot.sent = 0;
    slot.seen = -1;
    slot.child.send({ kind: 'batch', shared: job.batch.shared } satisfies ToChild);
    this.sendChunk(slot, job);
  }

  private sendChunk(slot: Slot, job: Job) {
    const targets = job.batch.targets.slice(slot.sent, slot.sent + this.chunk);
    slot.sent += targets.length;
    slot.child!.send({ kind: 'targets', targets } satisfies ToChild);
  }

  private async spawn(slot: Slot): Promise<ChildProcess> {
    const child = await startRenderProcess(this.heapMb);
    child.on('error', (err) => {
      if (slot.child === child) this.died(slot, `its render process failed: ${err.message}`);
    });
    child.on('message', (m: FromChild) => this.received(slot, child, m));
    child.once('exit', (code, signal) => {
      if (slot.child !== child) return;
      // V8 aborts a process whose heap is full (SIGABRT, or 134 through a shell)
      const outOfMemory = signal === 'SIGABRT' || code === 134;
      this.died(slot, outOfMemory ? `used more than its ${this.heapMb} MiB of memory` : `its render process exited (${signal ?? code})`);
    });
    return child;
  }

  private received(slot: Slot, child: ChildProcess, m: FromChild) {
    const job = slot.job;
    if (slot.child !== child || !job) return;
    job.results.push(m.result);
    slot.since = performance.now();
    if (job.results.length === job.batch.targets.length) return this.finish(slot, job.results);
    // the next chunk goes out while the last of this one renders, so the process never waits
    if (job.results.length >= slot.sent - 1 && slot.sent < job.batch.targets.length) this.sendChunk(slot, job);
  }

  /**
   * A render's deadline is CPU time where the process's can be read (renders
   * run at a lower priority, so on a busy machine they may wait for a core),
   * with wall time as a backstop: never more than WALL_FACTOR times the deadline.
   */
  private watch() {
    const now = performance.now();
    for (const slot of this.slots) {
      if (!slot.job || !slot.child) continue;
      const cpu = slot.child.pid === undefined ? undefined : cpuMs(slot.child.pid);
      if (slot.job.results.length !== slot.seen) {
        slot.seen = slot.job.results.length;
        slot.cpuBase = cpu;
      }
      const wall = now - slot.since;
      const used = cpu !== undefined && slot.cpuBase !== undefined ? cpu - slot.cpuBase : wall;
      if (used > this.deadlineMs || wall > WALL_FACTOR * this.deadlineMs) {
        const child = slot.child;
        slot.child = undefined;
        child.kill('SIGKILL');
        this.failAt(slot, `did not finish within ${this.deadlineMs / 1000} s`);
      }
    }
    if (!this.slots.some((s) => s.job)) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
    }
  }

  private died(slot: Slot, limit: string) {
    slot.child = undefined;
    this.failAt(slot, limit);
  }

  /**
   * The render in progress failed at a limit: it gets that error and the
   * batch's later targets one shared error (alike, so a 400 lists it once),
   * since the same template would most likely fail them the same way.
   */
  private failAt(slot: Slot, limit: string) {
    const job = slot.job;
    if (!job) return;
    const at = Math.min(job.results.length, job.batch.targets.length - 1);
    const { template } = job.batch.shared;
    const cluster = job.batch.targets[at]!.cluster.name;
    const rest = { pointer: '/spec/template', message: `template ${template.name}@${template.version}: ${RENDER_BUDGET} on cluster "${cluster}" (${limit}); its later clusters were not rendered` };
    this.finish(slot, job.batch.targets.map((_, k): Rendered =>
      k < at ? job.results[k]! : { ok: false, errors: [k === at ? budgetError(template, cluster, limit) : rest] }));
  }

  private finish(slot: Slot, results: Rendered[]) {
    const job = slot.job!;
    slot.job = undefined;
    if (slot.child) setRef(slot.child, false);
    job.resolve(results);
    this.pump();
  }
}

const shuttingDown: Rendered = { ok: false, errors: [{ pointer: '/spec/template', message: 'not rendered: the server is shutting down' }] };
