import { ownerKey, type Desired, type Owner } from './desired.js';
import { healthOf } from './health/index.js';
import type { KubeClient } from './kube/client.js';
import { KubeError } from './kube/http.js';
import { describe, refId, refOf, type KubeObject, type ObjectRef } from './kube/types.js';
import { eachLimit } from './limit.js';
import type { Log } from './log.js';
import type { Metrics } from './metrics.js';
import { applyStages, isDefinition, scopeObject, targetNamespaces } from './order.js';
import { applyDecision } from './ownership.js';
import type { ReportedResource } from './reporter.js';

export interface Item {
  object: KubeObject;
  owner: Owner;
}

export interface ApplyOutcome {
  /** per owner key: what to report, one entry per desired object */
  reports: Map<string, ReportedResource[]>;
  /** per owner key: the objects it desires, as scoped by discovery */
  refs: Map<string, ObjectRef[]>;
  /** ids that are now applied (and owned), with the resourceVersion the apply answered */
  applied: Map<string, string | undefined>;
  /** the objects as applied (scoped), by id: what drift is judged against */
  objects: Map<string, Item>;
  /** failures that say nothing about the content (API server away, 5xx, 429): the sync must be retried */
  transient: number;
}

const transient = (e: unknown) => !(e instanceof KubeError) || e.code === 0 || e.code === 429 || e.code >= 500;
const resource = (o: KubeObject, h: Omit<ReportedResource, 'apiVersion' | 'kind' | 'name' | 'namespace'>): ReportedResource => ({
  apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), ...h,
});

/**
 * Applies every desired object with server-side apply, definitions first, then
 * cluster-scoped, then namespaced objects in kind order. Objects that exist and
 * are not this owner's are reported, never applied.
 */
export class Applier {
  /** namespaces seen to exist since the last full sync: a change does not ask again */
  private readonly knownNamespaces = new Set<string>();

  constructor(
    private readonly kube: KubeClient,
    private readonly metrics: Metrics,
    private readonly log: Log,
    private readonly concurrency = 8,
  ) {}

  /** Forget what was learnt about the cluster (a full sync looks at everything again). */
  forget() {
    this.knownNamespaces.clear();
  }

  /** `objects` is filled as objects go out (see ApplyOutcome.objects), so a watch event during the apply is judged against them. */
  async apply(d: Desired, tenant: string, inventoried: (ownerKey: string, id: string) => boolean, objects = new Map<string, Item>()): Promise<ApplyOutcome> {
    const out: ApplyOutcome = { reports: new Map(), refs: new Map(), applied: new Map(), objects, transient: 0 };
    const report = (it: Item, r: ReportedResource) => {
      const key = ownerKey(it.owner.kind, it.owner.name);
      const list = out.reports.get(key) ?? [];
      list.push(r);
      out.reports.set(key, list);
    };
    const items: Item[] = d.owners.flatMap((owner) => owner.objects.map((object) => ({ object, owner })));
    const claimed = new Map<string, string>();

    const one = async (it: Item) => {
      const id = refId(refOf(it.object));
      const key = ownerKey(it.owner.kind, it.owner.name);
      const first = claimed.get(id);
      if (first && first !== key) {
        report(it, resource(it.object, { health: 'Degraded', message: `also desired by ${first}; not applied` }));
        return;
      }
      out.refs.set(key, [...(out.refs.get(key) ?? []), refOf(it.object)]);
      claimed.set(id, key);
      out.objects.set(id, it);
      const o = { tenant, kind: it.owner.kind, name: it.owner.name };
      try {
        if (!inventoried(key, id)) {
          const decision = applyDecision(await this.kube.get(it.object), o, false);
          if (!decision.apply) {
            report(it, resource(it.object, { health: 'Degraded', message: decision.message }));
            out.objects.delete(id);
            return;
          }
        }
        const live = await this.kube.apply(it.object, true);
        this.metrics.applies.inc();
        out.applied.set(id, live.metadata.resourceVersion);
        report(it, resource(it.object, healthOf(live)));
      } catch (e) {
        this.metrics.applyErrors.inc();
        const msg = (e as Error).message;
        const ns = it.object.metadata.namespace;
        // its namespace went away since it was seen: retried, and ensureNamespaces creates it again
        const namespaceGone = e instanceof KubeError && e.code === 404 && ns !== undefined && this.knownNamespaces.delete(ns);
        if (transient(e) || namespaceGone) {
          out.transient++;
          report(it, resource(it.object, { health: 'Unknown', message: `could not apply: ${msg}` }));
        } else {
          report(it, resource(it.object, { health: 'Degraded', message: `apply refused: ${msg}` }));
        }
        this.log('warn', 'apply failed', { object: describe(refOf(it.object)), error: msg });
      }
    };

    const namespaced = new Map<string, boolean | undefined>();
    const resolve = async (list: Item[]) => {
      const ready: Item[] = [];
      const unknown: Item[] = [];
      for (const it of list) {
        const gvk = `${it.object.apiVersion}/${it.object.kind}`;
        if (!namespaced.has(gvk)) namespaced.set(gvk, (await this.kube.resource(it.object.apiVersion, it.object.kind))?.namespaced);
        const object = scopeObject(it.object, namespaced.get(gvk));
        if (object) ready.push({ object, owner: it.owner });
        else unknown.push(it);
      }
      return { ready, unknown };
    };

    // stage 1: Namespaces and CRDs, so the rest can be placed and served
    const defs = items.filter((it) => isDefinition(it.object));
    const rest = items.filter((it) => !isDefinition(it.object));
    const d1 = await resolve(defs);
    await this.inOrder(d1.ready, one);
    if (defs.some((it) => it.object.kind === 'CustomResourceDefinition')) {
      this.kube.forgetDiscovery();
      namespaced.clear();
    }
    // stage 2: everything else, cluster-scoped first; a kind still unknown is reported Missing
    let r2 = await resolve(rest);
    if (r2.unknown.length > 0) {
      for (const it of r2.unknown) this.kube.forgetDiscovery(it.object.apiVersion);
      namespaced.clear();
      r2 = await resolve(rest);
    }
    for (const it of r2.unknown) {
      this.metrics.applyErrors.inc();
      report(it, resource(it.object, { health: 'Missing', message: `the cluster does not serve ${it.object.kind} in ${it.object.apiVersion}` }));
    }
    await this.ensureNamespaces(r2.ready.map((it) => it.object), out);
    await this.inOrder(r2.ready, one);
    return out;
  }

  /** Stages one after another (applyStages); the objects of a stage in parallel. */
  private async inOrder(items: Item[], one: (it: Item) => Promise<void>) {
    const ownerOf = new Map(items.map((it) => [it.object, it.owner]));
    for (const stage of applyStages(items.map((it) => it.object))) {
      await eachLimit(stage.map((object) => ({ object, owner: ownerOf.get(object)! })), this.concurrency, one);
    }
  }

  /**
   * A namespace the objects go to and nobody declared is created bare — without
   * ownership labels, so no prune ever deletes it (and what else lives there).
   */
  private async ensureNamespaces(objects: KubeObject[], out: ApplyOutcome) {
    for (const name of targetNamespaces(objects)) {
      if (this.knownNamespaces.has(name)) continue;
      const ref = { apiVersion: 'v1', kind: 'Namespace', name };
      try {
        if (!(await this.kube.get(ref))) {
          await this.kube.create({ ...ref, metadata: { name } });
          this.log('info', 'created target namespace', { namespace: name });
        }
        this.knownNamespaces.add(name);
      } catch (e) {
        if (e instanceof KubeError && e.code === 409) {
          this.knownNamespaces.add(name);
          continue;
        }
        if (transient(e)) out.transient++;
        this.log('warn', 'could not create target namespace', { namespace: name, error: (e as Error).message });
      }
    }
  }
}
