import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { targets } from '../../db/schema';
import type { Executor } from '../../db/database';
import { findInWorkspace } from '../../db/find';

export type TargetRow = typeof targets.$inferSelect;

export async function findTarget(
  q: Executor,
  workspaceId: string,
  scope: string,
  scopeId: string | null,
  periodKind: string,
  periodKey: string,
): Promise<TargetRow | undefined> {
  const [row] = await q
    .select()
    .from(targets)
    .where(
      and(
        eq(targets.workspaceId, workspaceId),
        eq(targets.scope, scope),
        scopeId === null ? isNull(targets.scopeId) : eq(targets.scopeId, scopeId),
        eq(targets.periodKind, periodKind),
        eq(targets.periodKey, periodKey),
      ),
    );
  return row;
}

export async function findTargetById(
  q: Executor,
  workspaceId: string,
  id: string,
  forUpdate = false,
) {
  return findInWorkspace(q, targets, workspaceId, id, forUpdate);
}

export async function listTargets(
  q: Executor,
  workspaceId: string,
  filter: {
    scope?: string | undefined;
    periodKind?: string | undefined;
    periodKey?: string | undefined;
  },
): Promise<TargetRow[]> {
  const conditions: SQL[] = [eq(targets.workspaceId, workspaceId)];
  if (filter.scope) conditions.push(eq(targets.scope, filter.scope));
  if (filter.periodKind) conditions.push(eq(targets.periodKind, filter.periodKind));
  if (filter.periodKey) conditions.push(eq(targets.periodKey, filter.periodKey));
  return q
    .select()
    .from(targets)
    .where(and(...conditions))
    .orderBy(asc(targets.periodKey), asc(targets.scope));
}

export async function insertTarget(
  q: Executor,
  values: typeof targets.$inferInsert,
): Promise<TargetRow> {
  const [row] = await q.insert(targets).values(values).returning();
  return row!;
}

export async function updateTargetAmount(q: Executor, id: string, amount: number): Promise<void> {
  await q
    .update(targets)
    .set({ amount, version: sql`${targets.version} + 1` })
    .where(eq(targets.id, id));
}

export async function deleteTarget(q: Executor, id: string): Promise<void> {
  await q.delete(targets).where(eq(targets.id, id));
}
