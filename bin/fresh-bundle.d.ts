/** Whether the bundle at `out` was built from the files under `root` as they are now. */
export function isFresh(root: string, out: string): boolean;
/** Builds `entry` (relative to `root`) into `out`, written whole or not at all. */
export function build(root: string, entry: string, out: string): Promise<void>;
/** Imports `entry` from a fresh bundle at `out`, building it when needed; false, having imported nothing, when it cannot. */
export function importFresh(root: string, entry: string, out: string): Promise<boolean>;
/** Runs the project's TypeScript `entry` from a fresh bundle at `out`, or through tsx where none can be made. */
export function runFresh(entry: string, out: string): Promise<void>;
