/** All SQL about follow-ups (planned and done). */
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { accounts, followUps, opportunities, users } from '../../db/schema';
import type { Executor } from '../../db/database';
import { findInWorkspace } from '../../db/find';

export type FollowUpRow = typeof followUps.$inferSelect;

const listedColumns = {
  followUp: followUps,
  opportunityCode: opportunities.code,
  opportunityName: opportunities.name,
  opportunityPriority: opportunities.priority,
  accountName: accounts.name,
  ownerName: users.name,
};

export interface FollowUpListed {
  followUp: FollowUpRow;
  opportunityCode: string;
  opportunityName: string;
  opportunityPriority: string;
  accountName: string;
  ownerName: string;
}

function listedQuery(q: Executor) {
  return q
    .select(listedColumns)
    .from(followUps)
    .innerJoin(opportunities, eq(opportunities.id, followUps.opportunityId))
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .innerJoin(users, eq(users.id, followUps.ownerId));
}

export async function insertFollowUp(
  q: Executor,
  values: typeof followUps.$inferInsert,
): Promise<string> {
  const [row] = await q.insert(followUps).values(values).returning({ id: followUps.id });
  return row!.id;
}

export async function updateFollowUp(
  q: Executor,
  id: string,
  values: Partial<typeof followUps.$inferInsert>,
): Promise<void> {
  await q
    .update(followUps)
    .set({ ...values, version: sql`${followUps.version} + 1` })
    .where(eq(followUps.id, id));
}

export async function findFollowUp(
  q: Executor,
  workspaceId: string,
  id: string,
  forUpdate = false,
) {
  return findInWorkspace(q, followUps, workspaceId, id, forUpdate);
}

export async function findListed(
  q: Executor,
  workspaceId: string,
  id: string,
): Promise<FollowUpListed | undefined> {
  const [row] = await listedQuery(q).where(
    and(eq(followUps.workspaceId, workspaceId), eq(followUps.id, id)),
  );
  return row;
}

export async function earliestPlanned(q: Executor, workspaceId: string, opportunityId: string) {
  const [row] = await q
    .select()
    .from(followUps)
    .where(
      and(
        eq(followUps.workspaceId, workspaceId),
        eq(followUps.opportunityId, opportunityId),
        eq(followUps.status, 'planned'),
      ),
    )
    .orderBy(asc(followUps.plannedAt))
    .limit(1);
  return row;
}

export async function listForOpportunity(q: Executor, workspaceId: string, opportunityId: string) {
  return listedQuery(q)
    .where(and(eq(followUps.workspaceId, workspaceId), eq(followUps.opportunityId, opportunityId)))
    .orderBy(
      sql`coalesce(${followUps.occurredAt}, ${followUps.plannedAt}) desc`,
      desc(followUps.createdAt),
    );
}

/** Recomputes the opportunity's next planned and last done follow-up (denormalised for the board). */
export async function refreshOpportunityFollowUpDates(
  q: Executor,
  opportunityId: string,
): Promise<void> {
  await q.execute(sql`
    update opportunities set
      next_follow_up_at = (select min(planned_at) from follow_ups where opportunity_id = ${opportunityId} and status = 'planned'),
      last_follow_up_at = (select max(occurred_at) from follow_ups where opportunity_id = ${opportunityId} and status = 'done')
    where id = ${opportunityId}`);
}

export async function cancelPlanned(q: Executor, opportunityId: string): Promise<void> {
  await q
    .update(followUps)
    .set({ status: 'cancelled', version: sql`${followUps.version} + 1` })
    .where(and(eq(followUps.opportunityId, opportunityId), eq(followUps.status, 'planned')));
}

export async function reassignPlanned(
  q: Executor,
  opportunityId: string,
  ownerId: string,
): Promise<void> {
  await q
    .update(followUps)
    .set({ ownerId, version: sql`${followUps.version} + 1` })
    .where(and(eq(followUps.opportunityId, opportunityId), eq(followUps.status, 'planned')));
}

export interface FollowUpScope {
  /** visibility condition on opportunities (the actor's access rule) */
  visibility: SQL;
  ownerIds?: string[] | undefined;
  teamIds?: string[] | undefined;
}

export function scopeConditions(workspaceId: string, scope: FollowUpScope): SQL[] {
  const conditions: SQL[] = [eq(followUps.workspaceId, workspaceId), scope.visibility];
  if (scope.ownerIds)
    conditions.push(
      scope.ownerIds.length ? inArray(followUps.ownerId, scope.ownerIds) : sql`false`,
    );
  if (scope.teamIds)
    conditions.push(
      scope.teamIds.length ? inArray(opportunities.teamId, scope.teamIds) : sql`false`,
    );
  return conditions;
}

/** Planned follow-ups due in [from, to) (either bound optional), earliest first. */
export async function plannedBetween(
  q: Executor,
  workspaceId: string,
  scope: FollowUpScope,
  from: Date | null,
  to: Date | null,
  limit: number,
  offset = 0,
) {
  const conditions = [...scopeConditions(workspaceId, scope), eq(followUps.status, 'planned')];
  if (from) conditions.push(gte(followUps.plannedAt, from));
  if (to) conditions.push(lt(followUps.plannedAt, to));
  const where = and(...conditions);
  const rows = await listedQuery(q)
    .where(where)
    .orderBy(asc(followUps.plannedAt), asc(followUps.id))
    .limit(limit)
    .offset(offset);
  const [{ total }] = (await q
    .select({ total: sql<number>`count(*)::int` })
    .from(followUps)
    .innerJoin(opportunities, eq(opportunities.id, followUps.opportunityId))
    .where(where)) as [{ total: number }];
  return { rows, total };
}

export async function listFollowUps(
  q: Executor,
  workspaceId: string,
  scope: FollowUpScope,
  status: string | undefined,
  page: number,
  pageSize: number,
) {
  const conditions = scopeConditions(workspaceId, scope);
  if (status) conditions.push(eq(followUps.status, status));
  const where = and(...conditions);
  const rows = await listedQuery(q)
    .where(where)
    .orderBy(sql`coalesce(${followUps.occurredAt}, ${followUps.plannedAt}) desc`, asc(followUps.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [{ total }] = (await q
    .select({ total: sql<number>`count(*)::int` })
    .from(followUps)
    .innerJoin(opportunities, eq(opportunities.id, followUps.opportunityId))
    .where(where)) as [{ total: number }];
  return { rows, total };
}
