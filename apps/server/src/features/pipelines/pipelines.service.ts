/** Pipelines and their ordered stages (SPEC F-2), with presets from the seeds. */
import { PIPELINE_PRESETS, validateStageList, type StagePreset } from '@funnel/domain';
import type { Db, Executor } from '../../db/database';
import { DomainError, notFound, versionConflict } from '../../http/domain-error';
import { requireRole } from '../access/access';
import type { Actor } from '../access/actor';
import { recordAudit } from '../audit/audit.repository';
import * as repo from './pipelines.repository';
import { rebuildReachedPositions } from '../opportunities/opportunities.repository';

export interface StageInput extends StagePreset {
  id?: string | undefined;
}

export function stageOut(s: repo.StageRow) {
  return {
    id: s.id,
    pipelineId: s.pipelineId,
    position: s.position,
    name: s.name,
    kind: s.kind,
    entryCriteria: s.entryCriteria,
    keyActivities: s.keyActivities,
    expectedResult: s.expectedResult,
    winProbability: s.winProbability,
    standardDwellDays: s.standardDwellDays,
    standardCountRatio: s.standardCountRatio,
    requiredFields: s.requiredFields,
    gateMode: s.gateMode,
    forecastCategory: s.forecastCategory,
  };
}

export async function pipelinesWithStages(q: Executor, workspaceId: string, only?: string) {
  const rows = (await repo.listPipelines(q, workspaceId)).filter((p) => !only || p.id === only);
  const allStages = await repo.stagesOf(
    q,
    workspaceId,
    rows.map((p) => p.id),
  );
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    isDefault: p.isDefault,
    archived: p.archived,
    version: p.version,
    stages: allStages.filter((s) => s.pipelineId === p.id).map(stageOut),
  }));
}

function stageValues(stage: StagePreset) {
  return {
    name: stage.name,
    kind: stage.kind,
    entryCriteria: stage.entryCriteria ?? '',
    keyActivities: stage.keyActivities ?? '',
    expectedResult: stage.expectedResult ?? '',
    winProbability: stage.winProbability,
    standardDwellDays: stage.standardDwellDays,
    standardCountRatio: stage.standardCountRatio,
    requiredFields: stage.requiredFields ?? [],
    gateMode: stage.gateMode ?? 'warn',
    forecastCategory: stage.forecastCategory ?? 'pipeline',
  };
}

function checkStageList(stages: readonly StagePreset[]): void {
  const problem = validateStageList(stages);
  if (problem)
    throw new DomainError('VALIDATION_FAILED', {}, [
      { path: 'stages', key: 'stage_list', params: { why: problem } },
    ]);
}

/** Creates a pipeline with its stages inside the caller's transaction (also used by the demo seed). */
export async function createPipelineIn(
  q: Executor,
  workspaceId: string,
  input: { name: string; isDefault: boolean; stages: readonly StagePreset[] },
): Promise<string> {
  checkStageList(input.stages);
  if (input.isDefault) await repo.clearDefault(q, workspaceId);
  const pipeline = await repo.insertPipeline(q, {
    workspaceId,
    name: input.name,
    isDefault: input.isDefault,
  });
  let position = 1;
  for (const stage of input.stages) {
    await repo.insertStage(q, {
      ...stageValues(stage),
      workspaceId,
      pipelineId: pipeline.id,
      position: position++,
    });
  }
  return pipeline.id;
}

export class PipelineService {
  constructor(private readonly deps: { db: Db }) {}

  list(actor: Actor) {
    return pipelinesWithStages(this.deps.db, actor.workspaceId);
  }

  async get(actor: Actor, id: string) {
    const [pipeline] = await pipelinesWithStages(this.deps.db, actor.workspaceId, id);
    if (!pipeline) throw notFound('pipeline');
    return pipeline;
  }

  presets() {
    return PIPELINE_PRESETS.map((p) => ({
      key: p.key,
      nameZh: p.nameZh,
      nameEn: p.nameEn,
      stages: p.stages.map((s) => ({
        name: s.name,
        kind: s.kind,
        winProbability: s.winProbability,
      })),
    }));
  }

  async create(
    actor: Actor,
    input: {
      name: string;
      preset?: string | undefined;
      stages?: StagePreset[] | undefined;
      isDefault: boolean;
    },
  ) {
    requireRole(actor, 'admin');
    const stages =
      input.stages ?? PIPELINE_PRESETS.find((p) => p.key === (input.preset ?? 'standard6'))!.stages;
    const id = await this.deps.db.transaction(async (tx) => {
      const pipelineId = await createPipelineIn(tx, actor.workspaceId, {
        name: input.name,
        isDefault: input.isDefault,
        stages,
      });
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'create',
        entityType: 'pipeline',
        entityId: pipelineId,
        after: { name: input.name, stages: stages.map((s) => s.name) },
      });
      return pipelineId;
    });
    return this.get(actor, id);
  }

  async update(
    actor: Actor,
    id: string,
    input: {
      version: number;
      name?: string | undefined;
      isDefault?: true | undefined;
      archived?: boolean | undefined;
    },
  ) {
    requireRole(actor, 'admin');
    await this.deps.db.transaction(async (tx) => {
      const row = await repo.findPipeline(tx, actor.workspaceId, id, true);
      if (!row) throw notFound('pipeline');
      if (row.version !== input.version) throw versionConflict('pipeline', row.version);
      if (input.isDefault) await repo.clearDefault(tx, actor.workspaceId);
      const values: Parameters<typeof repo.updatePipeline>[2] = {};
      if (input.name !== undefined) values.name = input.name;
      if (input.isDefault) values.isDefault = true;
      if (input.archived !== undefined) values.archived = input.archived;
      await repo.updatePipeline(tx, id, values);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'update',
        entityType: 'pipeline',
        entityId: id,
        before: { name: row.name, isDefault: row.isDefault, archived: row.archived },
        after: values,
      });
    });
    return this.get(actor, id);
  }

  /** Replaces the stage list: kept stages (by id) are updated, new ones created, dropped ones deleted when unused. */
  async replaceStages(actor: Actor, id: string, input: { version: number; stages: StageInput[] }) {
    requireRole(actor, 'admin');
    checkStageList(input.stages);
    await this.deps.db.transaction(async (tx) => {
      const row = await repo.findPipeline(tx, actor.workspaceId, id, true);
      if (!row) throw notFound('pipeline');
      if (row.version !== input.version) throw versionConflict('pipeline', row.version);
      const existing = await repo.stagesOf(tx, actor.workspaceId, [id]);
      const keptIds = new Set(input.stages.map((s) => s.id).filter(Boolean));
      input.stages.forEach((stage, index) => {
        if (stage.id && !existing.some((e) => e.id === stage.id)) {
          throw new DomainError('VALIDATION_FAILED', {}, [
            { path: `stages.${index}.id`, key: 'unknown_reference', params: { entity: 'stage' } },
          ]);
        }
      });
      for (const dropped of existing.filter((e) => !keptIds.has(e.id))) {
        const usage = await repo.stageUsage(tx, dropped.id);
        if (usage > 0)
          throw new DomainError('IN_USE', { entity: 'stage', count: usage }, [], {
            stageId: dropped.id,
            stage: dropped.name,
          });
        await repo.deleteStage(tx, dropped.id);
      }
      for (const kept of existing.filter((e) => keptIds.has(e.id))) {
        const next = input.stages.find((s) => s.id === kept.id)!;
        if (kept.kind !== next.kind && (await repo.stageUsage(tx, kept.id)) > 0) {
          throw new DomainError(
            'IN_USE',
            { entity: 'stage', count: await repo.stageUsage(tx, kept.id) },
            [],
            { stageId: kept.id },
          );
        }
      }
      await repo.parkStagePositions(tx, id);
      let position = 1;
      for (const stage of input.stages) {
        if (stage.id)
          await repo.updateStage(tx, stage.id, { ...stageValues(stage), position: position++ });
        else
          await repo.insertStage(tx, {
            ...stageValues(stage),
            workspaceId: actor.workspaceId,
            pipelineId: id,
            position: position++,
          });
      }
      await repo.updatePipeline(tx, id, {});
      await rebuildReachedPositions(tx, actor.workspaceId, id);
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: 'update_stages',
        entityType: 'pipeline',
        entityId: id,
        before: existing.map(stageOut),
        after: input.stages,
      });
    });
    return this.get(actor, id);
  }
}
