/** All SQL about opportunities, their stage history, priority history and links. */
import {
  aliasedTable,
  and,
  asc,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import {
  accounts,
  codeSequences,
  competitors,
  opportunities,
  opportunityCompetitors,
  opportunityContacts,
  priorityChanges,
  stageChanges,
  stages,
  users,
} from '../../db/schema';
import type { Executor } from '../../db/database';
import { queryRows } from '../../db/query';
import type { Actor } from '../access/actor';
import { opportunityVisibility } from '../access/access';
import { likePattern } from '../accounts/accounts.repository';

export type OpportunityRow = typeof opportunities.$inferSelect;
export type OpportunityInsert = typeof opportunities.$inferInsert;

const overrideBy = aliasedTable(users, 'override_by');
const creator = aliasedTable(users, 'creator');

const listedColumns = {
  opportunity: opportunities,
  accountName: accounts.name,
  stageName: stages.name,
  stageKind: stages.kind,
  stagePosition: stages.position,
  stageProbability: stages.winProbability,
  stageForecastCategory: stages.forecastCategory,
  ownerName: users.name,
  overrideByName: overrideBy.name,
  lostCompetitorName: competitors.name,
  createdByName: creator.name,
};

export interface OpportunityListed {
  opportunity: OpportunityRow;
  accountName: string;
  stageName: string;
  stageKind: string;
  stagePosition: number;
  stageProbability: number;
  stageForecastCategory: string;
  ownerName: string;
  overrideByName: string | null;
  lostCompetitorName: string | null;
  createdByName: string | null;
}

function listedQuery(q: Executor) {
  return q
    .select(listedColumns)
    .from(opportunities)
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .innerJoin(stages, eq(stages.id, opportunities.stageId))
    .innerJoin(users, eq(users.id, opportunities.ownerId))
    .leftJoin(overrideBy, eq(overrideBy.id, opportunities.priorityOverrideBy))
    .leftJoin(competitors, eq(competitors.id, opportunities.lostToCompetitorId))
    .leftJoin(creator, eq(creator.id, opportunities.createdBy));
}

export async function findOpportunity(
  q: Executor,
  workspaceId: string,
  id: string,
): Promise<OpportunityListed | undefined> {
  const [row] = await listedQuery(q).where(
    and(eq(opportunities.workspaceId, workspaceId), eq(opportunities.id, id)),
  );
  return row;
}

/** Row lock for the duration of the caller's transaction (serialises concurrent writes to one opportunity). */
export async function lockOpportunity(q: Executor, workspaceId: string, id: string): Promise<void> {
  await q.execute(
    sql`select 1 from opportunities where id = ${id} and workspace_id = ${workspaceId} for update`,
  );
}

export interface OpportunityFilter {
  q?: string | undefined;
  status?: string[] | undefined;
  pipelineId?: string | undefined;
  stageId?: string[] | undefined;
  ownerId?: string[] | undefined;
  teamIds?: string[] | undefined;
  accountId?: string | undefined;
  region?: string[] | undefined;
  productLine?: string[] | undefined;
  source?: string[] | undefined;
  industry?: string[] | undefined;
  priority?: string[] | undefined;
  expectedCloseFrom?: string | undefined;
  expectedCloseTo?: string | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
}

export function filterConditions(actor: Actor, filter: OpportunityFilter): SQL[] {
  const conditions: SQL[] = [opportunityVisibility(actor)];
  if (filter.q) {
    const like = likePattern(filter.q);
    conditions.push(
      or(
        ilike(opportunities.name, like),
        ilike(opportunities.code, like),
        ilike(accounts.name, like),
      )!,
    );
  }
  if (filter.status?.length) conditions.push(inArray(opportunities.status, filter.status));
  if (filter.pipelineId) conditions.push(eq(opportunities.pipelineId, filter.pipelineId));
  if (filter.stageId?.length) conditions.push(inArray(opportunities.stageId, filter.stageId));
  if (filter.ownerId?.length) conditions.push(inArray(opportunities.ownerId, filter.ownerId));
  if (filter.teamIds)
    conditions.push(
      filter.teamIds.length ? inArray(opportunities.teamId, filter.teamIds) : sql`false`,
    );
  if (filter.accountId) conditions.push(eq(opportunities.accountId, filter.accountId));
  if (filter.region?.length) conditions.push(inArray(opportunities.region, filter.region));
  if (filter.productLine?.length)
    conditions.push(inArray(opportunities.productLine, filter.productLine));
  if (filter.source?.length) conditions.push(inArray(opportunities.source, filter.source));
  if (filter.industry?.length) conditions.push(inArray(opportunities.industry, filter.industry));
  if (filter.priority?.length) conditions.push(inArray(opportunities.priority, filter.priority));
  if (filter.expectedCloseFrom)
    conditions.push(gte(opportunities.expectedCloseDate, filter.expectedCloseFrom));
  if (filter.expectedCloseTo)
    conditions.push(sql`${opportunities.expectedCloseDate} <= ${filter.expectedCloseTo}`);
  if (filter.createdFrom) conditions.push(gte(opportunities.createdAt, filter.createdFrom));
  if (filter.createdTo) conditions.push(lt(opportunities.createdAt, filter.createdTo));
  return conditions;
}

const SORT_COLUMNS = {
  code: opportunities.code,
  name: opportunities.name,
  expectedAmount: opportunities.expectedAmount,
  expectedCloseDate: opportunities.expectedCloseDate,
  createdAt: opportunities.createdAt,
  updatedAt: opportunities.updatedAt,
  stageEnteredAt: opportunities.stageEnteredAt,
  nextFollowUpAt: opportunities.nextFollowUpAt,
  priority: opportunities.priority,
  acquiredAt: opportunities.acquiredAt,
  stage: stages.position,
  owner: users.name,
  account: accounts.name,
} as const;

export async function listOpportunities(
  q: Executor,
  actor: Actor,
  filter: OpportunityFilter,
  sort: string,
  page: number,
  pageSize: number,
) {
  const where = and(...filterConditions(actor, filter));
  const descending = sort.startsWith('-');
  const column =
    SORT_COLUMNS[sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS] ?? opportunities.createdAt;
  const order = descending ? sql`${column} desc nulls last` : sql`${column} asc nulls last`;
  const rows = await listedQuery(q)
    .where(where)
    .orderBy(order, asc(opportunities.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [{ total }] = (await q
    .select({ total: sql<number>`count(*)::int` })
    .from(opportunities)
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .where(where)) as [{ total: number }];
  return { rows, total };
}

export interface StageSummaryRow {
  stageId: string;
  count: number;
  amount: number;
  weightedAmount: number;
}

/**
 * Per-stage count, expected amount and weighted amount (amount x probability, the opportunity's
 * override or the stage's) of the opportunities matching the filter: the board's column headers.
 */
export async function stageSummary(
  q: Executor,
  actor: Actor,
  filter: OpportunityFilter,
): Promise<StageSummaryRow[]> {
  const where = and(...filterConditions(actor, filter));
  const rows = await q
    .select({
      stageId: opportunities.stageId,
      count: sql<number>`count(*)::int`,
      amount: sql<string>`coalesce(sum(${opportunities.expectedAmount}), 0)::text`,
      weightedAmount: sql<string>`coalesce(sum(round(${opportunities.expectedAmount} * coalesce(${opportunities.winProbability}, ${stages.winProbability}) / 100.0)), 0)::text`,
    })
    .from(opportunities)
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .innerJoin(stages, eq(stages.id, opportunities.stageId))
    .where(where)
    .groupBy(opportunities.stageId);
  return rows.map((r) => ({
    stageId: r.stageId,
    count: r.count,
    amount: Number(r.amount),
    weightedAmount: Number(r.weightedAmount),
  }));
}

export async function insertOpportunity(q: Executor, values: OpportunityInsert): Promise<string> {
  const [row] = await q.insert(opportunities).values(values).returning({ id: opportunities.id });
  return row!.id;
}

export async function updateOpportunity(
  q: Executor,
  id: string,
  values: Partial<OpportunityInsert>,
): Promise<void> {
  await q
    .update(opportunities)
    .set({ ...values, version: sql`${opportunities.version} + 1`, updatedAt: sql`now()` })
    .where(eq(opportunities.id, id));
}

/** Raises the furthest funnel position reached (never lowers it: moving back does not un-reach). */
export async function raiseReachedPosition(
  q: Executor,
  id: string,
  position: number,
): Promise<void> {
  await q
    .update(opportunities)
    .set({ reachedPosition: sql`greatest(${opportunities.reachedPosition}, ${position})` })
    .where(eq(opportunities.id, id));
}

/** Rebuilds the furthest position of a pipeline's opportunities from their history (after stages are reordered). */
export async function rebuildReachedPositions(
  q: Executor,
  workspaceId: string,
  pipelineId: string,
): Promise<void> {
  await q.execute(sql`
    update opportunities o set reached_position = coalesce((
      select max(s.position) from stage_changes sc join stages s on s.id = sc.to_stage_id
      where sc.opportunity_id = o.id and s.kind in ('open', 'won')), 1)
    where o.workspace_id = ${workspaceId} and o.pipeline_id = ${pipelineId}`);
}

/** Next number of a gapless per-period counter; the row lock serialises concurrent creates until commit. */
export async function nextSequence(
  q: Executor,
  workspaceId: string,
  periodKey: string,
): Promise<number> {
  const [row] = await q
    .insert(codeSequences)
    .values({ workspaceId, periodKey, lastValue: 1 })
    .onConflictDoUpdate({
      target: [codeSequences.workspaceId, codeSequences.periodKey],
      set: { lastValue: sql`${codeSequences.lastValue} + 1` },
    })
    .returning({ value: codeSequences.lastValue });
  return row!.value;
}

export async function codeExists(q: Executor, workspaceId: string, code: string): Promise<boolean> {
  const [row] = await q
    .select({ id: opportunities.id })
    .from(opportunities)
    .where(and(eq(opportunities.workspaceId, workspaceId), eq(opportunities.code, code)));
  return !!row;
}

export async function insertStageChange(
  q: Executor,
  values: typeof stageChanges.$inferInsert,
): Promise<void> {
  await q.insert(stageChanges).values(values);
}

export interface StageChangeListed {
  id: number;
  fromStageId: string | null;
  fromName: string | null;
  toStageId: string;
  toName: string;
  kind: string;
  status: string;
  changedAt: Date;
  recordedAt: Date;
  changedBy: string | null;
  byName: string | null;
  reason: string | null;
}

export async function listStageChanges(q: Executor, workspaceId: string, opportunityId: string) {
  const rows = await queryRows<StageChangeListed>(
    q,
    sql`select sc.id, sc.from_stage_id as "fromStageId", fs.name as "fromName", sc.to_stage_id as "toStageId",
          ts.name as "toName", sc.kind, sc.status, sc.changed_at as "changedAt", sc.recorded_at as "recordedAt",
          sc.changed_by as "changedBy", u.name as "byName", sc.reason
        from stage_changes sc
        left join stages fs on fs.id = sc.from_stage_id
        join stages ts on ts.id = sc.to_stage_id
        left join users u on u.id = sc.changed_by
        where sc.workspace_id = ${workspaceId} and sc.opportunity_id = ${opportunityId}
        order by sc.changed_at, sc.id`,
  );
  // Raw rows carry timestamps as strings on one driver and Dates on the other: normalise.
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    changedAt: new Date(r.changedAt),
    recordedAt: new Date(r.recordedAt),
  }));
}

/** The last closing change (won or lost) of an opportunity: reopening returns to its `fromStageId`. */
export async function lastClosingChange(q: Executor, workspaceId: string, opportunityId: string) {
  const [row] = await q
    .select()
    .from(stageChanges)
    .where(
      and(
        eq(stageChanges.workspaceId, workspaceId),
        eq(stageChanges.opportunityId, opportunityId),
        inArray(stageChanges.kind, ['won', 'lost']),
      ),
    )
    .orderBy(desc(stageChanges.id))
    .limit(1);
  return row;
}

export async function insertPriorityChange(
  q: Executor,
  values: typeof priorityChanges.$inferInsert,
): Promise<void> {
  await q.insert(priorityChanges).values(values);
}

export async function listPriorityChanges(q: Executor, workspaceId: string, opportunityId: string) {
  return q
    .select({ change: priorityChanges, byName: users.name })
    .from(priorityChanges)
    .leftJoin(users, eq(users.id, priorityChanges.changedBy))
    .where(
      and(
        eq(priorityChanges.workspaceId, workspaceId),
        eq(priorityChanges.opportunityId, opportunityId),
      ),
    )
    .orderBy(asc(priorityChanges.id));
}

export async function replaceContacts(
  q: Executor,
  workspaceId: string,
  opportunityId: string,
  links: { contactId: string; role?: string | null | undefined }[],
): Promise<void> {
  await q.delete(opportunityContacts).where(eq(opportunityContacts.opportunityId, opportunityId));
  if (links.length === 0) return;
  const unique = [...new Map(links.map((l) => [l.contactId, l])).values()];
  await q.insert(opportunityContacts).values(
    unique.map((l) => ({
      workspaceId,
      opportunityId,
      contactId: l.contactId,
      role: l.role ?? null,
    })),
  );
}

export async function replaceCompetitors(
  q: Executor,
  workspaceId: string,
  opportunityId: string,
  links: { competitorId: string; advantages: string }[],
): Promise<void> {
  await q
    .delete(opportunityCompetitors)
    .where(eq(opportunityCompetitors.opportunityId, opportunityId));
  if (links.length === 0) return;
  const unique = [...new Map(links.map((l) => [l.competitorId, l])).values()];
  await q
    .insert(opportunityCompetitors)
    .values(unique.map((l) => ({ workspaceId, opportunityId, ...l })));
}

export async function competitorsOf(q: Executor, workspaceId: string, opportunityId: string) {
  return q
    .select({
      id: competitors.id,
      name: competitors.name,
      advantages: opportunityCompetitors.advantages,
    })
    .from(opportunityCompetitors)
    .innerJoin(competitors, eq(competitors.id, opportunityCompetitors.competitorId))
    .where(
      and(
        eq(opportunityCompetitors.workspaceId, workspaceId),
        eq(opportunityCompetitors.opportunityId, opportunityId),
      ),
    )
    .orderBy(asc(competitors.name));
}

export async function contactCount(q: Executor, opportunityId: string): Promise<number> {
  const [row] = (await q
    .select({ n: sql<number>`count(*)::int` })
    .from(opportunityContacts)
    .where(eq(opportunityContacts.opportunityId, opportunityId))) as [{ n: number }];
  return row.n;
}

export async function competitorCount(q: Executor, opportunityId: string): Promise<number> {
  const [row] = (await q
    .select({ n: sql<number>`count(*)::int` })
    .from(opportunityCompetitors)
    .where(eq(opportunityCompetitors.opportunityId, opportunityId))) as [{ n: number }];
  return row.n;
}
