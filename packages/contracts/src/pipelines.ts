import { z } from 'zod';
import {
  FORECAST_CATEGORIES,
  GATE_MODES,
  PIPELINE_PRESETS,
  STAGE_KINDS,
  isGateField,
} from '@funnel/domain';
import { Id, Percent, Version } from './common';

export const Stage = z
  .object({
    id: Id,
    pipelineId: Id,
    position: z.number().int(),
    name: z.string(),
    kind: z.enum(STAGE_KINDS),
    entryCriteria: z.string(),
    keyActivities: z.string(),
    expectedResult: z.string(),
    winProbability: z.number(),
    standardDwellDays: z.number().nullable(),
    standardCountRatio: z.number().nullable(),
    requiredFields: z.array(z.string()),
    gateMode: z.enum(GATE_MODES),
    forecastCategory: z.enum(FORECAST_CATEGORIES),
  })
  .meta({ id: 'Stage' });

export const Pipeline = z
  .object({
    id: Id,
    name: z.string(),
    isDefault: z.boolean(),
    archived: z.boolean(),
    version: z.number(),
    stages: z.array(Stage),
  })
  .meta({ id: 'Pipeline' });

export const StageInput = z
  .object({
    id: Id.optional().meta({
      description: 'Keep an existing stage (its history stays attached); omit for a new one.',
    }),
    name: z.string().trim().min(1).max(50),
    kind: z.enum(STAGE_KINDS).default('open'),
    entryCriteria: z.string().max(2000).default(''),
    keyActivities: z.string().max(2000).default(''),
    expectedResult: z.string().max(2000).default(''),
    winProbability: Percent,
    standardDwellDays: z.number().int().min(0).max(3650).nullable().default(null),
    standardCountRatio: z.number().min(0).max(1_000_000).nullable().default(null),
    requiredFields: z
      .array(z.string().refine(isGateField, { params: { i18n: 'invalid' } }))
      .max(30)
      .default([]),
    gateMode: z.enum(GATE_MODES).default('warn'),
    forecastCategory: z.enum(FORECAST_CATEGORIES).default('pipeline'),
  })
  .strict();

export const PipelinePresetKey = z.enum(
  PIPELINE_PRESETS.map((p) => p.key) as [string, ...string[]],
);

export const CreatePipelineBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    preset: PipelinePresetKey.optional(),
    stages: z.array(StageInput).min(3).max(30).optional(),
    isDefault: z.boolean().default(false),
  })
  .strict();

export const UpdatePipelineBody = z
  .object({
    version: Version,
    name: z.string().trim().min(1).max(100).optional(),
    isDefault: z.literal(true).optional(),
    archived: z.boolean().optional(),
  })
  .strict();

export const ReplaceStagesBody = z
  .object({ version: Version, stages: z.array(StageInput).min(3).max(30) })
  .strict();

export const PipelinePresetOut = z.object({
  key: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  stages: z.array(
    z.object({ name: z.string(), kind: z.enum(STAGE_KINDS), winProbability: z.number() }),
  ),
});
