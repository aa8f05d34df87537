import { and, eq, type InferSelectModel } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './database';

type WorkspaceTable = PgTable & { id: PgColumn; workspaceId: PgColumn };

/** One row of a workspace's table by id (optionally locked for the caller's transaction). */
export async function findInWorkspace<T extends WorkspaceTable>(
  q: Executor,
  table: T,
  workspaceId: string,
  id: string,
  forUpdate = false,
): Promise<InferSelectModel<T> | undefined> {
  const source: PgTable = table;
  const query = q
    .select()
    .from(source)
    .where(and(eq(table.workspaceId, workspaceId), eq(table.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row as InferSelectModel<T> | undefined;
}
