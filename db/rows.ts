/** The rows of a raw `db.execute` result; every driver here (PGlite, node-postgres, Neon) answers `{ rows }`. */
export const rowsOf = <R>(result: unknown): R[] => (result as { rows: R[] }).rows;
