import { janitor } from './janitor.js';
import { silentClusters } from './silent-clusters.js';
import { progressingRollouts } from './rollouts.js';
import type { ScheduledJob } from './job.js';

/** Every job of a scheduled run, in the order they run. */
export const JOBS: readonly ScheduledJob[] = [silentClusters, progressingRollouts, janitor];
