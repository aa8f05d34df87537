import { z } from 'zod';
import { isValidTimeZone, validateCodeFormat } from '@funnel/domain';
import { Id, MoneyInput, Role, Version } from './common';

const PriorityRuleInput = z
  .object({
    priority: z.enum(['A', 'B']),
    match: z.enum(['all', 'any']),
    amountMin: MoneyInput.nullable().optional(),
    amountMax: MoneyInput.nullable().optional(),
    probabilityMin: z.number().min(0).max(100).nullable().optional(),
    probabilityMax: z.number().min(0).max(100).nullable().optional(),
  })
  .strict();

const Cadence = z.object({
  A: z.number().positive().max(365),
  B: z.number().positive().max(365),
  C: z.number().positive().max(365),
});

export const WorkspaceRulesInput = z
  .object({
    priorityRules: z.array(PriorityRuleInput).max(20).optional(),
    cadenceDays: Cadence.optional(),
    contactDetailRoles: z.array(Role).max(4).optional(),
    lateEntryHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .optional(),
    conversionBenchmarks: z
      .array(
        z
          .object({
            fromStage: z.string().trim().min(1).max(50),
            toStage: z.string().trim().min(1).max(50),
            rate: z.number().gt(0).lt(1),
          })
          .strict(),
      )
      .max(50)
      .optional(),
    followUpGraceHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 14)
      .optional(),
  })
  .strict();

export const TimeZone = z.string().refine(isValidTimeZone, { params: { i18n: 'time_zone' } });
export const CodeFormat = z
  .string()
  .refine((f) => validateCodeFormat(f) === null, { params: { i18n: 'code_format' } });

export const UpdateWorkspaceBody = z
  .object({
    version: Version,
    name: z.string().trim().min(1).max(100).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    timeZone: TimeZone.optional(),
    locale: z.enum(['zh-CN', 'en']).optional(),
    codeFormat: CodeFormat.optional(),
    rules: WorkspaceRulesInput.optional(),
  })
  .strict();

const PriorityRuleOut = z.object({
  priority: z.enum(['A', 'B']),
  match: z.enum(['all', 'any']),
  amountMin: z.string().nullable(),
  amountMax: z.string().nullable(),
  probabilityMin: z.number().nullable(),
  probabilityMax: z.number().nullable(),
});

export const Workspace = z
  .object({
    id: Id,
    name: z.string(),
    currency: z.string(),
    timeZone: z.string(),
    locale: z.string(),
    codeFormat: z.string(),
    rules: z.object({
      priorityRules: z.array(PriorityRuleOut),
      cadenceDays: Cadence,
      contactDetailRoles: z.array(Role),
      lateEntryHours: z.number(),
      conversionBenchmarks: z.array(
        z.object({ fromStage: z.string(), toStage: z.string(), rate: z.number() }),
      ),
      followUpGraceHours: z.number(),
    }),
    version: z.number(),
  })
  .meta({ id: 'Workspace' });
