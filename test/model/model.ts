import type { Placement } from './commands.js';

/** What the model knows of one resource: its content as last acknowledged, and its resourceVersion then. */
export interface Known<T> {
  content: T;
  rv: number;
}

export interface ClusterContent {
  labels: Record<string, string>;
}
export interface AppContent {
  placement: Placement;
  replicas: number;
}

export interface Model {
  clusters: Map<string, Known<ClusterContent>>;
  apps: Map<string, Known<AppContent> & { revisions: number; generation: number }>;
  /** the highest desiredRevision seen per cluster uid: it may never go down */
  desired: Map<string, number>;
}

export const emptyModel = (): Model => ({ clusters: new Map(), apps: new Map(), desired: new Map() });

/** The clusters an app places on, by the model: named ones that exist, or those its selector picks. */
export function selected(model: Model, placement: Placement): string[] {
  const names = [...model.clusters.keys()];
  const picked = 'clusters' in placement
    ? names.filter((n) => placement.clusters.includes(n))
    : names.filter((n) => model.clusters.get(n)!.content.labels.env === placement.selector.matchLabels.env);
  return picked.sort();
}

/**
 * The outcome a batch may have for one resource: acknowledged writes in any
 * order the server chose. With puts acknowledged, the one with the highest
 * resourceVersion is the content now, unless an acknowledged delete came
 * after it (then it is gone); with none, what was there before, or nothing
 * after an acknowledged delete.
 */
export function allowedOutcomes<T>(before: Known<T> | undefined, puts: Known<T>[], deleted: boolean): (Known<T> | undefined)[] {
  if (puts.length === 0) return deleted ? [undefined] : [before];
  const last = puts.reduce((a, b) => (b.rv > a.rv ? b : a));
  return deleted ? [last, undefined] : [last];
}
