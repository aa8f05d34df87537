/** Collections (回款) of won opportunities: expected and actual payments. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { collections } from '../../db/schema';
import type { Executor } from '../../db/database';
import { findInWorkspace } from '../../db/find';

export type CollectionRow = typeof collections.$inferSelect;

export async function insertCollection(
  q: Executor,
  values: typeof collections.$inferInsert,
): Promise<CollectionRow> {
  const [row] = await q.insert(collections).values(values).returning();
  return row!;
}

export async function listCollections(
  q: Executor,
  workspaceId: string,
  opportunityId: string,
): Promise<CollectionRow[]> {
  return q
    .select()
    .from(collections)
    .where(
      and(eq(collections.workspaceId, workspaceId), eq(collections.opportunityId, opportunityId)),
    )
    .orderBy(asc(collections.expectedDate));
}

export async function findCollection(
  q: Executor,
  workspaceId: string,
  id: string,
  forUpdate = false,
) {
  return findInWorkspace(q, collections, workspaceId, id, forUpdate);
}

export async function updateCollection(
  q: Executor,
  id: string,
  values: Partial<typeof collections.$inferInsert>,
): Promise<void> {
  await q
    .update(collections)
    .set({ ...values, version: sql`${collections.version} + 1` })
    .where(eq(collections.id, id));
}
