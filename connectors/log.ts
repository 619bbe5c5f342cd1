/** One JSON line per event on stdout (what a log collector in the cluster expects). */
export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export const jsonLog = (base: Record<string, unknown> = {}): Log => (level, msg, fields) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields })}\n`);
};

export const silentLog: Log = () => {};
