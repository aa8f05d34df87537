import { z } from 'zod';
import { Id, Version } from './common';

export const PICKLIST_KINDS = [
  'source',
  'industry',
  'region',
  'product_line',
  'loss_reason',
  'postpone_reason',
] as const;
export const PicklistKind = z.enum(PICKLIST_KINDS);

export const PicklistValue = z
  .object({
    id: Id,
    kind: PicklistKind,
    code: z.string(),
    labelZh: z.string(),
    labelEn: z.string(),
    position: z.number().int(),
    active: z.boolean(),
    version: z.number(),
  })
  .meta({ id: 'PicklistValue' });

const Code = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[\p{L}\p{N}_\-. ]+$/u);

export const CreatePicklistValueBody = z
  .object({
    kind: PicklistKind,
    code: Code,
    labelZh: z.string().trim().min(1).max(100),
    labelEn: z.string().trim().min(1).max(100),
    position: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();

export const UpdatePicklistValueBody = z
  .object({
    version: Version,
    labelZh: z.string().trim().min(1).max(100).optional(),
    labelEn: z.string().trim().min(1).max(100).optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    active: z.boolean().optional(),
  })
  .strict();

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'select'] as const;
export const CustomFieldEntity = z.enum(['opportunity', 'account']);

export const CustomField = z
  .object({
    id: Id,
    entity: CustomFieldEntity,
    key: z.string(),
    labelZh: z.string(),
    labelEn: z.string(),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.string()),
    required: z.boolean(),
    position: z.number(),
    active: z.boolean(),
    version: z.number(),
  })
  .meta({ id: 'CustomField' });

export const CreateCustomFieldBody = z
  .object({
    entity: CustomFieldEntity,
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
    labelZh: z.string().trim().min(1).max(100),
    labelEn: z.string().trim().min(1).max(100),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
    required: z.boolean().default(false),
    position: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();

export const UpdateCustomFieldBody = z
  .object({
    version: Version,
    labelZh: z.string().trim().min(1).max(100).optional(),
    labelEn: z.string().trim().min(1).max(100).optional(),
    options: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
    required: z.boolean().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    active: z.boolean().optional(),
  })
  .strict();

/** Values of custom fields: checked against the definitions by the server. */
export const CustomFieldValues = z.record(
  z.string().max(40),
  z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]),
);

export const Competitor = z
  .object({ id: Id, name: z.string(), strengths: z.string(), version: z.number() })
  .meta({ id: 'Competitor' });
export const CreateCompetitorBody = z
  .object({ name: z.string().trim().min(1).max(200), strengths: z.string().max(5000).default('') })
  .strict();
export const UpdateCompetitorBody = z
  .object({
    version: Version,
    name: z.string().trim().min(1).max(200).optional(),
    strengths: z.string().max(5000).optional(),
  })
  .strict();
