import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { pipelines, stages } from '../../db/schema';
import type { Executor } from '../../db/database';
import { findInWorkspace } from '../../db/find';
import { queryRows } from '../../db/query';
import type { ForecastCategory, GateMode, StageKind } from '@funnel/domain';

export type StageRow = typeof stages.$inferSelect & {
  kind: StageKind;
  gateMode: GateMode;
  forecastCategory: ForecastCategory;
};
export type PipelineRow = typeof pipelines.$inferSelect;

export async function listPipelines(q: Executor, workspaceId: string): Promise<PipelineRow[]> {
  return q
    .select()
    .from(pipelines)
    .where(eq(pipelines.workspaceId, workspaceId))
    .orderBy(asc(pipelines.createdAt));
}

export async function findPipeline(
  q: Executor,
  workspaceId: string,
  id: string,
  forUpdate = false,
) {
  return findInWorkspace(q, pipelines, workspaceId, id, forUpdate);
}

export async function findDefaultPipeline(q: Executor, workspaceId: string) {
  const [row] = await q
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.archived, false)))
    .orderBy(sql`${pipelines.isDefault} desc`, asc(pipelines.createdAt))
    .limit(1);
  return row;
}

export async function stagesOf(
  q: Executor,
  workspaceId: string,
  pipelineIds: string[],
): Promise<StageRow[]> {
  if (pipelineIds.length === 0) return [];
  return (await q
    .select()
    .from(stages)
    .where(and(eq(stages.workspaceId, workspaceId), inArray(stages.pipelineId, pipelineIds)))
    .orderBy(asc(stages.pipelineId), asc(stages.position))) as StageRow[];
}

export async function findStage(
  q: Executor,
  workspaceId: string,
  id: string,
): Promise<StageRow | undefined> {
  const [row] = await q
    .select()
    .from(stages)
    .where(and(eq(stages.workspaceId, workspaceId), eq(stages.id, id)));
  return row as StageRow | undefined;
}

export async function insertPipeline(
  q: Executor,
  values: { workspaceId: string; name: string; isDefault: boolean },
) {
  const [row] = await q.insert(pipelines).values(values).returning();
  return row!;
}

export async function updatePipeline(
  q: Executor,
  id: string,
  values: Partial<{ name: string; isDefault: boolean; archived: boolean }>,
): Promise<void> {
  await q
    .update(pipelines)
    .set({ ...values, version: sql`${pipelines.version} + 1` })
    .where(eq(pipelines.id, id));
}

export async function clearDefault(q: Executor, workspaceId: string): Promise<void> {
  await q.update(pipelines).set({ isDefault: false }).where(eq(pipelines.workspaceId, workspaceId));
}

export type StageValues = Omit<
  typeof stages.$inferInsert,
  'id' | 'workspaceId' | 'pipelineId' | 'position' | 'version'
>;

export async function insertStage(
  q: Executor,
  values: StageValues & { workspaceId: string; pipelineId: string; position: number },
): Promise<string> {
  const [row] = await q.insert(stages).values(values).returning({ id: stages.id });
  return row!.id;
}

export async function updateStage(
  q: Executor,
  id: string,
  values: Partial<StageValues> & { position?: number },
) {
  await q
    .update(stages)
    .set({ ...values, version: sql`${stages.version} + 1` })
    .where(eq(stages.id, id));
}

/** Moves positions out of the way (negative) so that a reorder does not hit the unique index. */
export async function parkStagePositions(q: Executor, pipelineId: string): Promise<void> {
  await q.execute(
    sql`update stages set position = -position - 1000 where pipeline_id = ${pipelineId}`,
  );
}

export async function deleteStage(q: Executor, id: string): Promise<void> {
  await q.delete(stages).where(eq(stages.id, id));
}

/** How many opportunities or history rows refer to a stage. */
export async function stageUsage(q: Executor, stageId: string): Promise<number> {
  const result = await queryRows<{ n: number }>(
    q,
    sql`
    select (select count(*) from opportunities where stage_id = ${stageId})
         + (select count(*) from stage_changes where to_stage_id = ${stageId} or from_stage_id = ${stageId}) as n`,
  );
  return Number(result[0]!.n);
}
