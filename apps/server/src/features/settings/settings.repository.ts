import { and, asc, eq, sql } from 'drizzle-orm';
import { competitors, customFieldDefinitions, picklistValues } from '../../db/schema';
import type { Executor } from '../../db/database';
import { findInWorkspace } from '../../db/find';

export type PicklistRow = typeof picklistValues.$inferSelect;
export type CustomFieldRow = typeof customFieldDefinitions.$inferSelect;
export type CompetitorRow = typeof competitors.$inferSelect;

export async function listPicklist(
  q: Executor,
  workspaceId: string,
  kind?: string,
): Promise<PicklistRow[]> {
  const where = kind
    ? and(eq(picklistValues.workspaceId, workspaceId), eq(picklistValues.kind, kind))
    : eq(picklistValues.workspaceId, workspaceId);
  return q
    .select()
    .from(picklistValues)
    .where(where)
    .orderBy(asc(picklistValues.kind), asc(picklistValues.position), asc(picklistValues.code));
}

export async function findPicklistValue(
  q: Executor,
  workspaceId: string,
  id: string,
  forUpdate = false,
) {
  return findInWorkspace(q, picklistValues, workspaceId, id, forUpdate);
}

export async function findPicklistByCode(
  q: Executor,
  workspaceId: string,
  kind: string,
  code: string,
) {
  const [row] = await q
    .select()
    .from(picklistValues)
    .where(
      and(
        eq(picklistValues.workspaceId, workspaceId),
        eq(picklistValues.kind, kind),
        eq(picklistValues.code, code),
      ),
    );
  return row;
}

export async function insertPicklistValue(q: Executor, values: typeof picklistValues.$inferInsert) {
  const [row] = await q.insert(picklistValues).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updatePicklistValue(
  q: Executor,
  id: string,
  values: Partial<typeof picklistValues.$inferInsert>,
) {
  await q
    .update(picklistValues)
    .set({ ...values, version: sql`${picklistValues.version} + 1` })
    .where(eq(picklistValues.id, id));
}

export async function listCustomFields(
  q: Executor,
  workspaceId: string,
  entity?: string,
): Promise<CustomFieldRow[]> {
  const where = entity
    ? and(
        eq(customFieldDefinitions.workspaceId, workspaceId),
        eq(customFieldDefinitions.entity, entity),
      )
    : eq(customFieldDefinitions.workspaceId, workspaceId);
  return q
    .select()
    .from(customFieldDefinitions)
    .where(where)
    .orderBy(asc(customFieldDefinitions.position), asc(customFieldDefinitions.key));
}

export async function findCustomField(
  q: Executor,
  workspaceId: string,
  id: string,
  forUpdate = false,
) {
  return findInWorkspace(q, customFieldDefinitions, workspaceId, id, forUpdate);
}

export async function insertCustomField(
  q: Executor,
  values: typeof customFieldDefinitions.$inferInsert,
) {
  const [row] = await q
    .insert(customFieldDefinitions)
    .values(values)
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function updateCustomField(
  q: Executor,
  id: string,
  values: Partial<typeof customFieldDefinitions.$inferInsert>,
) {
  await q
    .update(customFieldDefinitions)
    .set({ ...values, version: sql`${customFieldDefinitions.version} + 1` })
    .where(eq(customFieldDefinitions.id, id));
}

export async function listCompetitors(q: Executor, workspaceId: string): Promise<CompetitorRow[]> {
  return q
    .select()
    .from(competitors)
    .where(eq(competitors.workspaceId, workspaceId))
    .orderBy(asc(competitors.name));
}

export async function findCompetitor(
  q: Executor,
  workspaceId: string,
  id: string,
  forUpdate = false,
) {
  return findInWorkspace(q, competitors, workspaceId, id, forUpdate);
}

/** Finds a competitor by name or creates it (the list grows as reps name new competitors). */
export async function upsertCompetitorByName(
  q: Executor,
  workspaceId: string,
  name: string,
): Promise<CompetitorRow> {
  await q.insert(competitors).values({ workspaceId, name }).onConflictDoNothing();
  const [row] = await q
    .select()
    .from(competitors)
    .where(and(eq(competitors.workspaceId, workspaceId), eq(competitors.name, name)));
  return row!;
}

export async function insertCompetitor(q: Executor, values: typeof competitors.$inferInsert) {
  const [row] = await q.insert(competitors).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateCompetitor(
  q: Executor,
  id: string,
  values: Partial<typeof competitors.$inferInsert>,
) {
  await q
    .update(competitors)
    .set({ ...values, version: sql`${competitors.version} + 1` })
    .where(eq(competitors.id, id));
}
