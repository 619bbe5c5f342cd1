import type { Command } from 'commander';
import { connect, type Api } from './api.js';
import { requireTenant, resolveConnection } from './connection.js';
import { readDocuments, type Doc } from './documents.js';
import { errorLines, Output, reportDocProblem } from './output.js';
import { checkTenant } from './reconcile.js';

export interface FileSession {
  out: Output;
  docs: Doc[];
  /** some document could not be read: the command fails, the others still go ahead */
  failed: boolean;
  api: Api;
  tenant: string;
}

/**
 * What every `-f` command starts with: read the files (reporting the documents
 * that are bad), connect, and check the tenant. Undefined, with exit code 1,
 * when the tenant cannot be used.
 */
export async function openFiles(filenames: string[], cmd: Command): Promise<FileSession | undefined> {
  const out = new Output();
  const { docs, problems } = await readDocuments(filenames);
  problems.forEach((p) => reportDocProblem(out, p));
  const connection = await resolveConnection(cmd.optsWithGlobals());
  const tenant = requireTenant(connection);
  const api = connect(connection, (l) => out.error(l));
  try {
    await checkTenant(api, tenant);
  } catch (err) {
    errorLines(err).forEach((l, i) => out.error(i === 0 ? `error: ${l}` : l));
    process.exitCode = 1;
    return undefined;
  }
  return { out, docs, failed: problems.length > 0, api, tenant };
}
