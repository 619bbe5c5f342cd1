import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Rendered } from '../../render/index.js';
import { budgetError, RENDER_BUDGET } from '../../rendering/budget-error.js';
import type { RenderBatch, Renderer } from '../../rendering/renderer.js';
import { ApiError } from '../../lib/problem.js';
import type { FromThread, ThreadData, ToThread } from './protocol.js';
import { threadSource } from './thread-source.js';

export interface RenderPoolOptions {
  /** threads; default: the cores there are, 2 to 4 */
  size?: number;
  /** batches waiting for a thread before new ones are refused with a 503 */
  maxQueued?: number;
  /** per render, enforced by terminating its thread */
  deadlineMs?: number;
  /** each thread's old-generation heap */
  heapMb?: number;
  /** targets per message to a thread */
  chunk?: number;
}

interface Job {
  batch: RenderBatch;
  results: Rendered[];
  resolve(r: Rendered[]): void;
}

interface Slot {
  worker: Worker | undefined;
  progress: Int32Array;
  job: Job | undefined;
  /** index of the first target of the chunk in flight, and its length */
  chunkStart: number;
  chunkLength: number;
  /** the progress counter as last seen, and since when */
  seen: number;
  since: number;
}

const WATCH_MS = 50;

/**
 * Renders on a bounded pool of worker threads, so a template that loops or
 * grows memory costs one thread, not the event loop that serves every tenant
 * and heartbeat. Each thread has a bounded heap (one that runs out dies alone)
 * and each render a deadline (a thread still on one render past it is
 * terminated and replaced). Either is a 400 naming template, cluster and limit.
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
    this.slots = Array.from({ length: this.size }, () => ({
      worker: undefined, progress: new Int32Array(new SharedArrayBuffer(4)), job: undefined, chunkStart: 0, chunkLength: 0, seen: 0, since: 0,
    }));
  }

  renderApp(batch: RenderBatch): Promise<Rendered[]> {
    if (this.closed) return Promise.reject(new Error('render pool closed'));
    if (batch.targets.length === 0) return Promise.resolve([]);
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(new ApiError(503, 'busy', 'every render thread is busy and the queue is full; retry shortly', undefined, { 'Retry-After': '1' }));
    }
    return new Promise((resolve) => {
      this.queue.push({ batch, results: [], resolve });
      this.pump();
    });
  }

  /** Terminates every thread; batches not yet finished are refused. */
  async close() {
    this.closed = true;
    clearInterval(this.watchdog);
    for (const job of this.queue.splice(0)) job.resolve(job.batch.targets.map(() => ({ ok: false, errors: [{ pointer: '/spec/template', message: 'the server is shutting down' }] })));
    await Promise.all(this.slots.map((s) => {
      const w = s.worker;
      s.worker = undefined;
      if (s.job) this.fail(s, 'the server is shutting down');
      return w?.terminate();
    }));
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
      slot.worker ??= await this.spawn(slot);
    } catch (err) {
      slot.job = undefined;
      job.resolve(job.batch.targets.map(() => ({ ok: false, errors: [{ pointer: '/spec/template', message: `cannot be rendered: ${String(err)}` }] })));
      return this.pump();
    }
    if (slot.job !== job || !slot.worker) return;
    slot.worker.ref();
    slot.worker.postMessage({ kind: 'batch', shared: job.batch.shared } satisfies ToThread);
    this.sendChunk(slot, job);
  }

  private sendChunk(slot: Slot, job: Job) {
    slot.chunkStart = job.results.length;
    const targets = job.batch.targets.slice(slot.chunkStart, slot.chunkStart + this.chunk);
    slot.chunkLength = targets.length;
    Atomics.store(slot.progress, 0, 0);
    slot.seen = 0;
    slot.since = performance.now();
    slot.worker!.postMessage({ kind: 'targets', targets } satisfies ToThread);
  }

  private spawn(slot: Slot): Promise<Worker> {
    return threadSource().then((src) => new Promise<Worker>((resolve, reject) => {
      const data: ThreadData = { progress: slot.progress.buffer as SharedArrayBuffer, maxObjects: 1000, maxBytes: 2 * 1024 * 1024 };
      const w = new Worker(src, {
        eval: true,
        workerData: data,
        resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      });
      w.once('online', () => resolve(w));
      w.on('message', (m: FromThread) => this.received(slot, w, m));
      w.on('error', (err: Error & { code?: string }) => {
        reject(err);
        if (slot.worker !== w) return;
        slot.worker = undefined;
        this.fail(slot, err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `used more than its ${this.heapMb} MiB of memory` : `its thread failed: ${err.message}`);
      });
      w.on('exit', () => {
        if (slot.worker !== w) return;
        slot.worker = undefined;
        this.fail(slot, 'its thread exited');
      });
    }));
  }

  private received(slot: Slot, w: Worker, m: FromThread) {
    const job = slot.job;
    if (slot.worker !== w || !job) return;
    job.results.push(...m.results);
    if (job.results.length < job.batch.targets.length) return this.sendChunk(slot, job);
    this.finish(slot, job.results);
  }

  private watch() {
    const now = performance.now();
    for (const slot of this.slots) {
      if (!slot.job || !slot.worker) continue;
      const p = Atomics.load(slot.progress, 0);
      if (p !== slot.seen) {
        slot.seen = p;
        slot.since = now;
      } else if (now - slot.since > this.deadlineMs) {
        const w = slot.worker;
        slot.worker = undefined;
        void w.terminate();
        this.fail(slot, `did not finish within ${this.deadlineMs / 1000} s`);
      }
    }
    if (!this.slots.some((s) => s.job)) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
    }
  }

  /**
   * The render in progress failed at a limit: it gets that error and the
   * batch's later targets one shared error (alike, so a 400 lists it once),
   * since the same template would most likely fail them the same way.
   */
  private fail(slot: Slot, limit: string) {
    const job = slot.job;
    if (!job) return;
    const at = Math.min(job.results.length + Atomics.load(slot.progress, 0), job.batch.targets.length - 1);
    const { template } = job.batch.shared;
    const cluster = job.batch.targets[at]!.cluster.name;
    const rest = { pointer: '/spec/template', message: `template ${template.name}@${template.version}: ${RENDER_BUDGET} on cluster "${cluster}" (${limit}); its later clusters were not rendered` };
    const results = job.batch.targets.map((_, k): Rendered =>
      k < at ? job.results[k]! : { ok: false, errors: [k === at ? budgetError(template, cluster, limit) : rest] });
    this.finish(slot, results);
  }

  private finish(slot: Slot, results: Rendered[]) {
    const job = slot.job!;
    slot.job = undefined;
    slot.worker?.unref();
    job.resolve(results);
    this.pump();
  }
}
