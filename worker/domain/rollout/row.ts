import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { appRollouts, type AppRow, type AppRolloutRow } from '../../../db/schema/index.js';
import type { AppSpec } from '../apps/spec.js';
import { progressiveRollout } from './spec.js';

/** The app's progressive rollout row, if it has one (apps that roll out at once have none). */
export async function rolloutRow(db: Db, app: AppRow): Promise<AppRolloutRow | undefined> {
  if (!progressiveRollout(app.spec as unknown as AppSpec)) return undefined;
  const [row] = await db.select().from(appRollouts).where(eq(appRollouts.appUid, app.uid));
  return row;
}
