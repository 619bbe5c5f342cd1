import fc from 'fast-check';

/** The writes a batch fires at once. Names come from small pools so that writes collide. */
export const CLUSTERS = ['c1', 'c2', 'c3', 'c4'] as const;
export const APPS = ['a1', 'a2'] as const;
export type Precondition = 'none' | 'current' | 'stale' | 'absent';
export type Placement = { selector: { matchLabels: { env: string } } } | { clusters: string[] };

export type Command =
  | { kind: 'putCluster'; name: string; env: string; region: string; pre: Precondition }
  | { kind: 'deleteCluster'; name: string }
  | { kind: 'putApp'; name: string; placement: Placement; replicas: number; pre: Precondition }
  | { kind: 'deleteApp'; name: string }
  | { kind: 'rollback'; name: string; revision: number };

const pre = fc.constantFrom<Precondition>('none', 'none', 'current', 'stale', 'absent');
const env = fc.constantFrom('prod', 'dev');
const placement: fc.Arbitrary<Placement> = fc.oneof(
  env.map((e) => ({ selector: { matchLabels: { env: e } } })),
  fc.subarray([...CLUSTERS], { minLength: 0, maxLength: 3 }).map((clusters) => ({ clusters })),
);

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('putCluster' as const), name: fc.constantFrom(...CLUSTERS), env, region: fc.constantFrom('eu', 'us'), pre }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteCluster' as const), name: fc.constantFrom(...CLUSTERS) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('putApp' as const), name: fc.constantFrom(...APPS), placement, replicas: fc.integer({ min: 1, max: 5 }), pre }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteApp' as const), name: fc.constantFrom(...APPS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rollback' as const), name: fc.constantFrom(...APPS), revision: fc.integer({ min: 1, max: 4 }) }) },
);

/** Batches of 2-6 writes, each batch fired concurrently. */
export const batches = (max: number) => fc.array(fc.array(command, { minLength: 2, maxLength: 6 }), { minLength: 3, maxLength: max });
